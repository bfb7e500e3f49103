#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the store needs, throwing `FileSystemError` with errno.
/// Direct calls, not FileManager, because the store must tell EXDEV from ENOENT and must never
/// follow a symbolic link while deciding where a data file goes.
enum PosixFiles {
    /// What stands at a path, without following a symbolic link there.
    enum Kind: Equatable {
        case missing, regularFile, directory, other
    }

    /// The kind of the entry at `path` (lstat).
    static func kind(_ path: String) throws -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw FileSystemError(operation: "lstat", path: path, errno: errno)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Whether anything stands at `path` (lstat).
    static func exists(_ path: String) -> Bool {
        (try? kind(path)).map { $0 != .missing } ?? true
    }

    /// lstat's result for `path`.
    static func status(_ path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw FileSystemError(operation: "lstat", path: path, errno: errno) }
        return info
    }

    /// rename(2): atomically replaces `destination` (a file) with `source`.
    static func rename(_ source: String, to destination: String) throws {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        guard result == 0 else { throw FileSystemError(operation: "rename to \(destination)", path: source, errno: errno) }
    }

    /// link(2): a second name for the same inode.
    static func link(_ source: String, to destination: String) throws {
        #if canImport(Glibc)
        let result = Glibc.link(source, destination)
        #else
        let result = Darwin.link(source, destination)
        #endif
        guard result == 0 else { throw FileSystemError(operation: "link to \(destination)", path: source, errno: errno) }
    }

    /// unlink(2); a missing file is not an error.
    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw FileSystemError(operation: "unlink", path: path, errno: errno)
        }
    }

    /// mkdir(2) with mode 0755; an existing directory is not an error.
    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 else {
            if errno == EEXIST, try kind(path) == .directory { return }
            throw FileSystemError(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// rmdir(2); returns false when the directory is not empty or cannot be removed.
    @discardableResult
    static func removeDirectoryIfEmpty(_ path: String) -> Bool {
        rmdir(path) == 0
    }
}
