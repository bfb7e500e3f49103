import FakeS3

/// The object `x-amz-copy-source` names: `bucket/key` or `/bucket/key`, URL-encoded, maybe with
/// `?versionId=`. Buckets are unversioned, so every object's only version is `null` (as
/// ListObjectVersions reports it); any other version ID is refused rather than ignored, as S3 refuses
/// an ID that is not one of its own.
struct CopySource: Equatable {
    let bucket: String
    let key: String

    init(header: String?, resource: String) throws {
        let pieces = header?.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false) ?? []
        var path = pieces.first.map(String.init) ?? ""
        if pieces.count > 1, let version = QueryString(pieces[1])["versionId"], version != "null" {
            throw S3Error.invalidArgument("Invalid version id specified", resource: resource)
        }
        if path.hasPrefix("/") { path.removeFirst() }
        let parts = path.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bucket = PercentEncoding.decode(String(parts[0])),
              let key = PercentEncoding.decode(String(parts[1])) else {
            throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                                          resource: resource)
        }
        self.bucket = bucket
        self.key = key
    }
}
