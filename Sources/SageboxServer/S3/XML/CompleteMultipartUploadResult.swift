/// CompleteMultipartUpload's answer.
struct CompleteMultipartUploadResult: Encodable {
    let Location: String
    let Bucket: String
    let Key: String
    let ETag: String
}
