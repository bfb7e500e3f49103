/// ListObjects (v1) answer. Members left nil are left out of the document; empty arrays are sent as
/// nil, as XMLCoder would write an empty element for them.
struct ListBucketResult: Encodable {
    let Name: String
    let Prefix: String
    let Marker: String
    let MaxKeys: Int
    let Delimiter: String?
    let EncodingType: String?
    let IsTruncated: Bool
    let NextMarker: String?
    let Contents: [ListedObject]?
    let CommonPrefixes: [CommonPrefix]?
}
