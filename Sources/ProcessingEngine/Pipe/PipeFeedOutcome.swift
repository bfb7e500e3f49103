/// How the feed of one Pipe-mode input ended.
public enum PipeFeedOutcome: Sendable, Equatable {
    /// Every object was written, then the pipe was closed: the job read to end of file.
    case delivered(bytes: Int64)
    /// The job closed its end before the last byte (EPIPE). Not an error: a job may read only a head.
    case readerClosed(bytes: Int64)
    /// `stop()` came before the job opened the pipe. Not an error: a job may ignore an input.
    case neverOpened
    /// `stop()` came while the job had the pipe open and had not read everything.
    case stopped(bytes: Int64)
    /// The feed failed; the job must end Failed with the error's `failureReason`.
    case failed(PipeFeedError)

    /// The error, when the feed failed.
    public var error: PipeFeedError? {
        if case let .failed(error) = self { return error }
        return nil
    }

    /// The bytes written into the pipe (0 for `neverOpened` and `failed`).
    public var bytes: Int64 {
        switch self {
        case let .delivered(bytes), let .readerClosed(bytes), let .stopped(bytes): bytes
        case .neverOpened, .failed: 0
        }
    }
}
