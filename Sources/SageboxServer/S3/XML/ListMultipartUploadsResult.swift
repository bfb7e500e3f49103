/// ListMultipartUploads' answer.
struct ListMultipartUploadsResult: Encodable {
    struct ListedUpload: Encodable {
        let Key: String
        let UploadId: String
        let Initiated: String
        let StorageClass: String
    }

    let Bucket: String
    let KeyMarker: String
    let UploadIdMarker: String
    let MaxUploads: Int
    let IsTruncated: Bool
    /// nil when empty (XMLCoder would write an empty element).
    let Upload: [ListedUpload]?
}
