/// Why a Pipe-mode input could not be fed. `failureReason` is the job's FailureReason; the engine ends
/// the job Failed with it, even when the job itself exited 0 (it read a truncated stream).
public struct PipeFeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The object could not be read from the fake S3 (missing bucket or key, unreadable file).
        case download
        /// The object is not valid gzip data, though the input's S3CompressionType is Gzip.
        case decompress
        /// The FIFO could not be created or written (a fault of sagebox or the host, not of the job).
        case pipe
    }

    /// What went wrong.
    public let kind: Kind
    /// The object being fed, when the failure concerns one.
    public let object: S3URI?
    /// The underlying error's text (S3's `Code: message`, libarchive's message, or the failed call).
    public let detail: String

    /// Creates an error.
    public init(kind: Kind, object: S3URI?, detail: String) {
        self.kind = kind
        self.object = object
        self.detail = detail
    }

    /// The FailureReason, worded like the real service's download failures (spec §5).
    public var failureReason: String {
        let uri = object.map(\.description) ?? ""
        switch kind {
        case .download: return FailureReason.clientError("Data download failed:Unable to download object \(uri) (\(detail))")
        case .decompress: return FailureReason.clientError("Data download failed:Unable to decompress object \(uri) as gzip (\(detail))")
        case .pipe: return FailureReason.internalError("sagebox could not feed the input pipe: \(detail)")
        }
    }

    public var description: String { failureReason }
}
