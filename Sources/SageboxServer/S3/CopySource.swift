import FakeS3

/// The object `x-amz-copy-source` names: `bucket/key` or `/bucket/key`, URL-encoded, maybe with
/// `?versionId=` (ignored: buckets are unversioned).
struct CopySource: Equatable {
    let bucket: String
    let key: String

    init(header: String?, resource: String) throws {
        var path = header?.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
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
