import Foundation

/// An object's metadata, as HeadObject and ListObjects return it.
public struct S3Object: Sendable, Hashable {
    /// S3's default content type when a PutObject names none.
    public static let defaultContentType = "binary/octet-stream"

    /// The bucket holding the object.
    public let bucket: String
    /// The object's key.
    public let key: String
    /// The object's size in bytes.
    public let size: Int64
    /// The ETag WITHOUT quotes (see `quotedETag`): the MD5 of the object's bytes as 32 lowercase hex
    /// digits, or for an object completed from N parts `<hex MD5 of the parts' MD5s>-N` (`MultipartETag`).
    public let etag: String
    /// The content type given at upload, or `binary/octet-stream`.
    public let contentType: String
    /// The user metadata (`x-amz-meta-*`) given at upload, keys as given.
    public let userMetadata: [String: String]
    /// When the object was last written (millisecond precision); the data file's mtime is set to it.
    public let lastModified: Date
    /// For an object completed from a multipart upload: each part's size in bytes, in order (they add
    /// up to `size`). Nil for any other object (PutObject, CopyObject...), which S3 treats as one part.
    public let partSizes: [Int64]?

    /// Creates an object description.
    public init(bucket: String, key: String, size: Int64, etag: String, contentType: String,
                userMetadata: [String: String], lastModified: Date, partSizes: [Int64]? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.lastModified = lastModified
        self.partSizes = partSizes
    }

    /// The ETag the way S3 sends it in headers and XML: `etag` in double quotes.
    public var quotedETag: String { "\"\(etag)\"" }

    /// The bytes of part `number` (1-based), as GetObject's `partNumber` selects them: a multipart
    /// object's part, or the whole object as part 1 of any other object. Nil when there is no such part.
    public func byteRange(ofPart number: Int) -> Range<Int64>? {
        guard let partSizes else { return number == 1 ? 0..<size : nil }
        guard number >= 1, number <= partSizes.count else { return nil }
        let start = partSizes[..<(number - 1)].reduce(0, +)
        return start..<(start + partSizes[number - 1])
    }
}
