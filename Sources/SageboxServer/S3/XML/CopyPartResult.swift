/// UploadPartCopy's answer.
struct CopyPartResult: Encodable {
    let LastModified: String
    let ETag: String
}
