import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// O_PATH (Linux's 010000000 on every architecture Swift runs on) is a `_GNU_SOURCE` macro Glibc does not export.
private let openPathOnly: Int32 = 0o10000000

/// The FIFO node of a Pipe-mode input on the host, held by descriptors taken when sagebox made it,
/// before the job started: the job may rename, replace or link over `{LocalPath}_0` (pointing it at a
/// host file, say), and sagebox still writes into the FIFO it made and removes only that name in the
/// folder it made, never a path the job changed.
final class FifoNode: @unchecked Sendable {  // immutable after init; the descriptors are closed once, in deinit
    /// The folder holding the FIFO (O_PATH, taken before the job started).
    private let folder: Int32
    /// The FIFO itself (O_PATH): reopened for writing through `/proc/self/fd`, which reaches this very node.
    private let node: Int32
    private let name: String

    /// Creates a FIFO at `url`, its parent folders first, replacing what is there. Mode 0644: the job,
    /// whatever user it runs as, may read it; only sagebox writes.
    init(creatingAt url: URL) throws(PipeFeedError) {
        let parent = url.deletingLastPathComponent()
        func failure(_ call: String) -> PipeFeedError {
            PipeFeedError(kind: .pipe, object: nil, detail: "\(call)(\(url.path)): \(String(cString: strerror(errno)))")
        }
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw PipeFeedError(kind: .pipe, object: nil, detail: "could not create \(parent.path): \(error)")
        }
        name = url.lastPathComponent
        folder = open(parent.path, openPathOnly | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw failure("open") }
        unlinkat(folder, name, 0)
        guard mkfifoat(folder, name, 0o644) == 0 else { close(folder); throw failure("mkfifo") }
        fchmodat(folder, name, 0o644, 0)  // whatever the umask
        node = openat(folder, name, openPathOnly | O_NOFOLLOW | O_CLOEXEC)
        guard node >= 0 else { close(folder); throw failure("open") }
    }

    deinit {
        close(node)
        close(folder)
    }

    /// The path that opens this node, whatever the job did to its name.
    var openablePath: String { "/proc/self/fd/\(node)" }

    /// Removes the FIFO's name if it still names this node (the job may have put something else there).
    func remove() {
        var named = stat(), held = stat()
        guard fstatat(folder, name, &named, AT_SYMLINK_NOFOLLOW) == 0, fstat(node, &held) == 0,
              named.st_dev == held.st_dev, named.st_ino == held.st_ino else { return }
        unlinkat(folder, name, 0)
    }
}
