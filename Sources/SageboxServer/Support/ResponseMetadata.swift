/// The `<ResponseMetadata>` every AWS query-protocol answer (STS, IAM) ends with.
struct ResponseMetadata: Encodable {
    let RequestId: String
}
