/// One page of ListObjects (v1 or v2): the objects and the common prefixes, in S3's order.
public struct S3ObjectListing: Sendable, Hashable {
    /// Objects whose keys were not rolled up into a common prefix, in UTF-8 byte order of keys.
    public let objects: [S3Object]
    /// Rolled-up key prefixes (each ends with the delimiter), in byte order. Each counts toward max-keys.
    public let commonPrefixes: [String]
    /// Whether more keys match after this page.
    public let isTruncated: Bool
    /// When truncated, the last key or common prefix of this page: pass it as `startAfter` (S3's
    /// NextMarker, or the value behind ListObjectsV2's continuation token) to get the next page.
    public let nextMarker: String?

    /// Creates a page.
    public init(objects: [S3Object], commonPrefixes: [String], isTruncated: Bool, nextMarker: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
    }

    /// ListObjectsV2's KeyCount: objects plus common prefixes on this page.
    public var keyCount: Int { objects.count + commonPrefixes.count }
}
