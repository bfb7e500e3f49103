import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates the FIFO node of a Pipe-mode input on the host.
enum FifoNode {
    /// Creates a FIFO at `url`, its parent folders first, replacing what is there. Mode 0644: the job,
    /// whatever user it runs as, may read it; only sagebox writes.
    static func create(at url: URL) throws(PipeFeedError) {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw PipeFeedError(kind: .pipe, object: nil, detail: "could not create \(url.deletingLastPathComponent().path): \(error)")
        }
        unlink(url.path)
        guard mkfifo(url.path, 0o644) == 0 else {
            throw PipeFeedError(kind: .pipe, object: nil, detail: "mkfifo(\(url.path)): \(String(cString: strerror(errno)))")
        }
        chmod(url.path, 0o644)  // whatever the umask
    }
}
