/// The AWS query protocol's error document (STS, IAM):
/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
struct QueryErrorResponse: Encodable {
    struct Detail: Encodable {
        let `Type`: String
        let Code: String
        let Message: String
    }

    let Error: Detail
    let RequestId: String

    /// `Sender` faults are the client's (HTTP 400 or 404).
    init(code: String, message: String, requestId: String, type: String = "Sender") {
        Error = Detail(Type: type, Code: code, Message: message)
        RequestId = requestId
    }
}
