/// Why a batch operation (`S3Store.linkObjects`) stopped: the index of the item that failed, and its
/// error (an `S3Error`, as the one-item operation would throw).
public struct S3BatchFailure: Error, Sendable {
    public let index: Int
    public let error: any Error
}
