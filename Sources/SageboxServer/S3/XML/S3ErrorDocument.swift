/// S3's error body: `<Error><Code/><Message/><Resource/><RequestId/></Error>`.
struct S3ErrorDocument: Encodable {
    let Code: String
    let Message: String
    let Resource: String
    let RequestId: String
}
