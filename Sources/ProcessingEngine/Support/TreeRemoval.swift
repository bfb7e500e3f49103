import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes folder trees a job may have written: every step goes through an open folder (`openat`,
/// `unlinkat`) with O_NOFOLLOW, so a symbolic link a job left, even one swapped in for a folder, is
/// removed as a link and never followed out of the tree; and a folder on another file system (a mount
/// left behind) is not entered, so removing never reaches what is mounted there.
public enum TreeRemoval {
    /// What could not be removed: paths, each with the reason.
    public struct Leftovers: Error, CustomStringConvertible, Sendable {
        public var items: [String] = []
        public var isEmpty: Bool { items.isEmpty }
        public var description: String {
            "could not remove \(items.count) item(s): " + items.prefix(5).joined(separator: "; ")
                + (items.count > 5 ? "; ..." : "")
        }
    }

    /// Removes everything inside `folder` (the folder itself stays). A missing folder is already empty.
    public static func empty(_ folder: URL) throws {
        try within(folder, flags: O_NOFOLLOW) { fd, device, leftovers in
            emptyFolder(fd, path: folder.path, device: device, leftovers: &leftovers)
        }
    }

    /// Removes `folder` and everything inside it; a link at `folder` itself is removed, not followed.
    public static func remove(_ folder: URL) throws {
        try within(folder.deletingLastPathComponent(), flags: 0) { fd, device, leftovers in
            removeEntry(folder.lastPathComponent, in: fd, path: folder.path, device: device, leftovers: &leftovers)
        }
    }

    /// Runs `body` on the open folder `url` (nothing when it is missing) with its device; throws what it left.
    private static func within(_ url: URL, flags: Int32, _ body: (Int32, dev_t, inout Leftovers) -> Void) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | flags)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw Leftovers(items: ["\(url.path): \(String(cString: strerror(errno)))"])
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Leftovers(items: ["\(url.path): fstat failed"]) }
        var leftovers = Leftovers()
        body(fd, info.st_dev, &leftovers)
        if !leftovers.isEmpty { throw leftovers }
    }

    private static func emptyFolder(_ fd: Int32, path: String, device: dev_t, leftovers: inout Leftovers) {
        for name in entries(of: fd) {
            removeEntry(name, in: fd, path: path + "/" + name, device: device, leftovers: &leftovers)
        }
    }

    private static func removeEntry(_ name: String, in parent: Int32, path: String, device: dev_t, leftovers: inout Leftovers) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno != ENOENT { leftovers.items.append("\(path): \(String(cString: strerror(errno)))") }
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard info.st_dev == device else {
                leftovers.items.append("\(path): another file system is mounted there")
                return
            }
            // A job without root may leave folders it cannot be read or written (an overlay's work/work is
            // mode 000): the owner may give them back, never through a link swapped in since fstatat.
            if info.st_mode & 0o700 != 0o700 { _ = fchmodat(parent, name, 0o700, AT_SYMLINK_NOFOLLOW) }
            let child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else {
                leftovers.items.append("\(path): \(String(cString: strerror(errno)))")
                return
            }
            // Opened: check again that it is the folder seen above (not swapped meanwhile).
            var opened = stat()
            if fstat(child, &opened) == 0, opened.st_dev == device, opened.st_ino == info.st_ino {
                emptyFolder(child, path: path, device: device, leftovers: &leftovers)
            }
            close(child)
            if unlinkat(parent, name, AT_REMOVEDIR) != 0, errno != ENOENT {
                leftovers.items.append("\(path): \(String(cString: strerror(errno)))")
            }
        } else if unlinkat(parent, name, 0) != 0, errno != ENOENT {
            leftovers.items.append("\(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The names in the open folder `fd`, without `.` and `..`.
    private static func entries(of fd: Int32) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
