/// ListObjectVersions' answer. sagebox's buckets are unversioned, so every object is its only
/// version, with VersionId `null`, as S3 reports objects of an unversioned bucket.
struct ListVersionsResult: Encodable {
    struct ObjectVersion: Encodable {
        let Key: String
        let VersionId: String
        let IsLatest: Bool
        let LastModified: String
        let ETag: String
        let Size: Int64
        let StorageClass: String
        let Owner: ListAllMyBucketsResult.Owner
    }

    let Name: String
    let Prefix: String
    let KeyMarker: String
    let VersionIdMarker: String
    let MaxKeys: Int
    let Delimiter: String?
    let EncodingType: String?
    let IsTruncated: Bool
    let NextKeyMarker: String?
    let NextVersionIdMarker: String?
    /// nil when empty (XMLCoder would write an empty element).
    let Version: [ObjectVersion]?
    let CommonPrefixes: [CommonPrefix]?
}
