import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regular files below an output's folder, found from open folders (`openat` with O_NOFOLLOW at
/// every level), so that a folder the job swapped for a link is never walked into.
enum OutputTree {
    /// Relative paths (`/`-separated) of the regular files under `relativeFolder` of `folder` ("" for the
    /// folder itself), with their signatures; folders found on the way go to `foundFolder`, and what is
    /// passed over (links, FIFOs, sockets, devices, names that are not UTF-8) to `passedOver`.
    static func regularFiles(under folder: ContainedPath, in relativeFolder: String = "",
                             foundFolder: (String) -> Void = { _ in },
                             passedOver: (_ path: String, _ why: String) -> Void = { _, _ in })
        -> [(path: String, signature: FileSignature)] {
        var found: [(path: String, signature: FileSignature)] = []
        func walk(_ fd: Int32, _ relative: String) {
            for raw in names(in: fd) {
                let name = raw.withUnsafeBufferPointer { String(validatingCString: $0.baseAddress!) }
                let shown = name ?? String(decoding: raw.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let path = relative.isEmpty ? shown : relative + "/" + shown
                guard let name else {
                    passedOver(path, "its name is not UTF-8")  // an S3 key is UTF-8
                    continue
                }
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: found.append((path, FileSignature(info)))
                case S_IFDIR:
                    let next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard next >= 0 else { continue }  // swapped since: it is no folder of the output now
                    foundFolder(path)
                    walk(next, path)
                    close(next)
                case S_IFLNK: passedOver(path, "a symbolic link")
                case S_IFIFO: passedOver(path, "a FIFO")
                case S_IFSOCK: passedOver(path, "a socket")
                default: passedOver(path, "a device")
                }
            }
        }
        guard let top = NoFollowFile.openFolder(folder.appending(relativeFolder)) else { return [] }
        walk(top, relativeFolder)
        close(top)
        return found
    }

    /// The entries of the open folder `fd` as raw C names, in byte order, without `.` and `..`.
    private static func names(in fd: Int32) -> [[CChar]] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        var names: [[CChar]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.bindMemory(to: CChar.self).prefix { $0 != 0 }) + [0]
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) { UInt8(bitPattern: $0) < UInt8(bitPattern: $1) } }
    }
}
