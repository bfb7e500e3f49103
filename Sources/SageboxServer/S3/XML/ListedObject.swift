import FakeS3

/// One `<Contents>` entry of ListObjects (v1 and v2).
struct ListedObject: Encodable {
    let Key: String
    let LastModified: String
    let ETag: String
    let Size: Int64
    let StorageClass: String

    init(_ object: S3Object, key: String) {
        Key = key
        LastModified = Timestamps.iso8601(object.lastModified)
        ETag = object.quotedETag
        Size = object.size
        StorageClass = "STANDARD"
    }
}
