/// CreateMultipartUpload's answer.
struct InitiateMultipartUploadResult: Encodable {
    let Bucket: String
    let Key: String
    let UploadId: String
}
