/// CopyObject's answer.
struct CopyObjectResult: Encodable {
    let LastModified: String
    let ETag: String
}
