import Foundation

/// A bucket, as ListBuckets returns it.
public struct S3Bucket: Sendable, Hashable {
    /// The bucket's name.
    public let name: String
    /// When the bucket was created (millisecond precision).
    public let creationDate: Date

    /// Creates a bucket description.
    public init(name: String, creationDate: Date) {
        self.name = name
        self.creationDate = creationDate
    }
}
