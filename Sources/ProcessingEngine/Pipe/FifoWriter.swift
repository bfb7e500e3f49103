import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of a FIFO, used from one thread. Non-blocking throughout, so that the feeder never
/// hangs on a job that does not open its pipe or stops reading: every wait is a short poll followed by
/// a look at `stopped`.
///
/// Writing into a pipe whose reader has gone raises SIGPIPE, which would kill sagebox (Swift and
/// Foundation leave its default action in place). The feeding thread blocks SIGPIPE for itself
/// (`shieldFromBrokenPipe`), sees EPIPE instead, and discards the signal left pending on it, so the
/// process-wide disposition, which job processes inherit, is never changed.
struct FifoWriter {
    enum Opening {
        case opened(FifoWriter)
        case stopped
        case failed(String)
    }

    enum Writing {
        case written
        case readerClosed
        case stopped
        case failed(String)
    }

    /// How long one wait lasts before `stopped` is looked at again.
    static let pollMilliseconds: Int32 = 20

    let fd: Int32

    /// Blocks SIGPIPE on the calling thread; call it first on the feeding thread.
    static func shieldFromBrokenPipe() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Opens `path` for writing once a reader has it open (ENXIO until then), or gives up when `stopped`.
    static func openOnceRead(_ path: String, stopped: () -> Bool) -> Opening {
        while true {
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                var info = stat()
                guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFIFO else {
                    close(fd)
                    return .failed("open(\(path)): not a FIFO")
                }
                return .opened(FifoWriter(fd: fd))
            }
            let code = errno
            guard code == ENXIO || code == EINTR else { return .failed("open(\(path)): \(String(cString: strerror(code)))") }
            if stopped() { return .stopped }
            _ = poll(nil, 0, pollMilliseconds)
        }
    }

    /// Writes all of `bytes`, waiting while the pipe is full; tells how it ended and how many bytes went.
    func writeAll(_ bytes: UnsafeRawBufferPointer, stopped: () -> Bool) -> (ending: Writing, count: Int) {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 { offset += count; continue }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                if stopped() { return (.stopped, offset) }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, Self.pollMilliseconds)
            case EPIPE:
                Self.discardPendingBrokenPipe()
                return (.readerClosed, offset)
            case let code:
                return (.failed("write: \(String(cString: strerror(code)))"), offset)
            }
        }
        return (.written, offset)
    }

    func closeEnd() {
        _ = close(fd)
    }

    /// Consumes the SIGPIPE that the failed write left pending on this thread.
    private static func discardPendingBrokenPipe() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        var pending = sigset_t()
        sigpending(&pending)
        guard sigismember(&pending, SIGPIPE) == 1 else { return }
        var now = timespec(tv_sec: 0, tv_nsec: 0)
        _ = sigtimedwait(&set, nil, &now)
    }
}
