/// ListObjectsV2 answer (document element `ListBucketResult`). Members left nil are left out.
struct ListBucketV2Result: Encodable {
    let Name: String
    let Prefix: String
    let MaxKeys: Int
    let KeyCount: Int
    let Delimiter: String?
    let EncodingType: String?
    let IsTruncated: Bool
    let ContinuationToken: String?
    let NextContinuationToken: String?
    let StartAfter: String?
    let Contents: [ListedObject]?
    let CommonPrefixes: [CommonPrefix]?
}
