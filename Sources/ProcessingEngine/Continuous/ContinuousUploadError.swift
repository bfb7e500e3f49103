/// A file of a Continuous output that could not be uploaded (its latest attempt failed).
public struct ContinuousUploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path relative to the output's LocalPath.
    public let relativePath: String
    /// Where it was to go.
    public let destination: S3URI
    /// What failed (S3's error, or a failed system call).
    public let detail: String

    /// Creates an error.
    public init(relativePath: String, destination: S3URI, detail: String) {
        self.relativePath = relativePath
        self.destination = destination
        self.detail = detail
    }

    /// A FailureReason for the job, should the engine decide that the failure fails the job.
    public var failureReason: String {
        FailureReason.clientError("Failed to upload output file \(relativePath) to \(destination): \(detail)")
    }

    public var description: String { failureReason }
}
