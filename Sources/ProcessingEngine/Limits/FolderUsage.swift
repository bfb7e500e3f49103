import Foundation

/// Disk space a folder's files take, for a watchdog where no volume can be mounted (a normal user).
public enum FolderUsage {
    /// Bytes allocated on disk under `folder` (st_blocks, as `du` counts: a sparse file counts what it
    /// holds, a hard-linked file once). Does not follow symlinks or cross into other file systems.
    public static func allocatedBytes(under folder: URL) -> UInt64 {
        var root = stat()
        guard lstat(folder.path, &root) == 0 else { return 0 }
        var total: UInt64 = 0
        var seen = Set<[UInt64]>()
        var pending = [folder.path]
        while let path = pending.popLast() {
            var status = stat()
            guard lstat(path, &status) == 0, status.st_dev == root.st_dev else { continue }
            if status.st_nlink > 1, !seen.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted { continue }
            total += UInt64(status.st_blocks) * 512
            if status.st_mode & S_IFMT == S_IFDIR {
                let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                pending.append(contentsOf: children.map { path + "/" + $0 })
            }
        }
        return total
    }
}
