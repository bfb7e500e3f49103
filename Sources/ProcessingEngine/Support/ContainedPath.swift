import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path in a job's folders as sagebox reaches it from the host: `base` is a folder the job cannot
/// replace (its volume's `opt-ml`, the source of the bind at /opt/ml, which is a mount point inside the
/// job), and every component of `relative` below it is one the job may have swapped for a link, a FIFO or
/// another folder. Sagebox opens such paths one component at a time with O_NOFOLLOW (`NoFollowFile`) and
/// never hands the joined path to a call that would follow it.
public struct ContainedPath: Sendable, Equatable, CustomStringConvertible {
    public let base: URL
    /// `/`-separated, no leading or trailing `/`; "" for `base` itself.
    public let relative: String

    public init(base: URL, relative: String) {
        self.base = base
        self.relative = relative.split(separator: "/").joined(separator: "/")
    }

    public func appending(_ child: String) -> ContainedPath {
        ContainedPath(base: base, relative: relative.isEmpty ? child : relative + "/" + child)
    }

    /// The joined path: for messages and for inotify (which only watches), never for opening.
    public var url: URL { relative.isEmpty ? base : base.appending(path: relative) }
    public var description: String { url.path }
}

/// Opens files and folders below a `ContainedPath`'s base without following a symbolic link at any
/// step: a job still running may swap a file or folder for a link to a host path at any moment, and
/// even after it ended, what it left must only be read where it really is.
public enum NoFollowFile {
    /// The folder at `path`, opened for reading, or nil when some component is not a real folder.
    static func openFolder(_ path: ContainedPath) -> Int32? {
        var folder = open(path.base.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return nil }
        for component in path.relative.split(separator: "/") {
            let next = openat(folder, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(folder)
            guard next >= 0 else { return nil }
            folder = next
        }
        return folder
    }

    /// An open regular file at `path` and its status, or nil when it is not a regular file (any more).
    static func openFile(_ path: ContainedPath) -> (fd: Int32, info: stat)? {
        let components = path.relative.split(separator: "/")
        guard let last = components.last else { return nil }
        let parent = ContainedPath(base: path.base, relative: components.dropLast().joined(separator: "/"))
        guard let folder = openFolder(parent) else { return nil }
        defer { close(folder) }
        return openFile(named: String(last), in: folder)
    }

    /// The regular file `name` of the open folder `folder`, or nil.
    static func openFile(named name: String, in folder: Int32) -> (fd: Int32, info: stat)? {
        // O_NONBLOCK: opening a FIFO left there must not wait for a writer.
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { close(fd); return nil }
        return (fd, info)
    }

    /// At most `limit` bytes from the start of the regular file at `path`; nil when it is not one. A
    /// sparse file of any apparent size costs no more than `limit` bytes.
    public static func readPrefix(_ path: ContainedPath, limit: Int) -> Data? {
        guard let (fd, info) = openFile(path) else { return nil }
        defer { close(fd) }
        let size = min(limit, Int(clamping: info.st_size))
        var data = Data(count: size)  // zeros: fuse2fs answers a read in a hole with end of file, not zeros
        var total = 0
        while total < size {
            let count = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + total, size - total, off_t(total)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        return data
    }
}
