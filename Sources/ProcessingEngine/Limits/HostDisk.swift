import Foundation

/// The file system that holds a sagebox root (its volumes' images, its buckets): how much of it is free
/// and the largest file it can hold.
public struct HostDisk: Sendable, Equatable {
    /// Bytes this process may still write (f_bavail: blocks reserved for root are not counted, as a
    /// mount may keep them from root too).
    public var freeBytes: UInt64
    /// The largest file the file system holds, where that is less than the size asked about; nil when
    /// it holds a file of that size.
    public var largestFileBytes: UInt64?

    public init(freeBytes: UInt64, largestFileBytes: UInt64?) {
        self.freeBytes = freeBytes
        self.largestFileBytes = largestFileBytes
    }

    /// The file system holding `folder`, asked whether it holds a file of `bytes`; nil when statvfs fails.
    public static func of(_ folder: URL, forFilesOf bytes: UInt64) -> HostDisk? {
        guard let free = freeBytes(at: folder) else { return nil }
        return HostDisk(freeBytes: free, largestFileBytes: largestFile(in: folder, upTo: bytes))
    }

    /// Free bytes of the file system holding `url`, nil when statvfs fails: the floor watcher's check,
    /// a microsecond or so.
    public static func freeBytes(at url: URL) -> UInt64? {
        var info = statvfs()
        guard statvfs(url.path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// The largest whole number of GiB under `bytes` that a file in `folder` may have, or nil when a file
    /// of `bytes` may be made. Asked of the file system itself, with ftruncate on a scratch file (a
    /// sparse file takes no space; a few microseconds a call): ext4 stops at 16 TiB less a block, ext3 at
    /// 2 TiB, other file systems elsewhere, and statfs's type would know only those it was taught.
    static func largestFile(in folder: URL, upTo bytes: UInt64) -> UInt64? {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scratch = folder.appending(path: ".largest-file-\(UUID().uuidString)").path
        let fd = open(scratch, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer {
            close(fd)
            unlink(scratch)
        }
        func fits(_ size: UInt64) -> Bool { size <= UInt64(Int64.max) && ftruncate(fd, off_t(size)) == 0 }
        guard !fits(bytes), errno == EFBIG || errno == EINVAL else { return nil }
        var (low, high) = (UInt64(0), bytes >> 30)  // whole GiB: `low` fits, `high` does not
        while high - low > 1 {
            let middle = (low + high) / 2
            if fits(middle << 30) { low = middle } else { high = middle }
        }
        return low << 30
    }
}
