import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a file below an output's folder for reading without following a symbolic link at any step.
/// The job is still running and may swap a file or folder for a link to a host path at any moment;
/// opening each component with O_NOFOLLOW makes sagebox read only what is really inside the folder.
enum NoFollowFile {
    /// An open regular file and its status, or nil when `relative` is not a regular file (any more).
    static func openFile(_ relative: String, under root: URL) -> (fd: Int32, info: stat)? {
        var directory = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return nil }
        let components = relative.split(separator: "/").map(String.init)
        guard let last = components.last else { close(directory); return nil }
        for component in components.dropLast() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(directory)
            guard next >= 0 else { return nil }
            directory = next
        }
        // O_NONBLOCK: opening a FIFO left there must not wait for a writer.
        let fd = openat(directory, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        close(directory)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { close(fd); return nil }
        return (fd, info)
    }
}
