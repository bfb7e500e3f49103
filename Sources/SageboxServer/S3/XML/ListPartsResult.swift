/// ListParts' answer.
struct ListPartsResult: Encodable {
    struct ListedPart: Encodable {
        let PartNumber: Int
        let LastModified: String
        let ETag: String
        let Size: Int64
    }

    let Bucket: String
    let Key: String
    let UploadId: String
    let PartNumberMarker: Int
    let NextPartNumberMarker: Int?
    let MaxParts: Int
    let IsTruncated: Bool
    let StorageClass: String
    /// nil when empty (XMLCoder would write an empty element).
    let Part: [ListedPart]?
}
