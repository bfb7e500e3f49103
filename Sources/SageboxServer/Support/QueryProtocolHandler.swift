import Foundation
import Hummingbird
import SageMakerAPI
import XMLCoder

/// The AWS query protocol (a form POST with `Action=`): STS GetCallerIdentity and IAM GetRole and
/// SimulatePrincipalPolicy, the calls the SDKs make around SageMaker. Answers are XML in each service's namespace.
struct QueryProtocolHandler: Sendable {
    static let account = "000000000000"

    /// Answers one request; the label names the service and action for the request log.
    func handle(form: QueryString, requestId: String) -> (Response, String) {
        let action = form["Action"] ?? ""
        switch action {
        case "GetCallerIdentity":
            return (STSHandler.getCallerIdentity(requestId: requestId), "STS.GetCallerIdentity")
        case "GetRole":
            return (IAMHandler.getRole(form: form, requestId: requestId), "IAM.GetRole")
        case "SimulatePrincipalPolicy":
            return (IAMHandler.simulatePrincipalPolicy(form: form, requestId: requestId), "IAM.SimulatePrincipalPolicy")
        default:
            let message = action.isEmpty ? "Missing required parameter Action" : "Could not find operation \(action) for version \(form["Version"] ?? "")"
            return (Self.error(code: action.isEmpty ? "MissingAction" : "InvalidAction", message: message, status: 400,
                               requestId: requestId), "Query.\(action)")
        }
    }

    /// A query-protocol error answer; the message (which may echo the request) is made safe to echo.
    static func error(code: String, message: String, status: Int, requestId: String) -> Response {
        let document = QueryErrorResponse(code: code, message: EchoedText.safe(message), requestId: requestId)
        return Reply.xml(xml(document, root: "ErrorResponse", namespace: nil), status: status, contentType: "text/xml")
    }

    /// Encodes a query-protocol document.
    static func xml<T: Encodable>(_ value: T, root: String, namespace: String?) -> Data {
        (try? XMLEncoder().encode(value, withRootKey: root, rootAttributes: namespace.map { ["xmlns": $0] },
                                  header: XMLHeader(version: 1.0, encoding: "UTF-8"))) ?? Data()
    }
}
