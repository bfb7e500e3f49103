import Foundation
import Hummingbird
import HTTPTypes

/// Builders for the responses every service sends. The request ID headers are added by
/// `ServerResponder`, for every answer alike.
enum Reply {
    /// A JSON 1.1 answer (SageMaker, CloudWatch Logs).
    static func json(_ body: Data, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-amz-json-1.1"
        return Response(status: .init(code: status), headers: headers, body: bytes(body))
    }

    /// An XML answer (S3, STS, IAM).
    static func xml(_ body: Data, status: Int = 200, contentType: String = "application/xml") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .init(code: status), headers: headers, body: bytes(body))
    }

    /// An answer with no body (`Content-Length: 0` unless `headers` say otherwise, as on HEAD).
    static func empty(status: Int = 200, headers: HTTPFields = HTTPFields()) -> Response {
        Response(status: .init(code: status), headers: headers, body: ResponseBody())
    }

    static func bytes(_ data: Data) -> ResponseBody {
        ResponseBody(byteBuffer: ByteBuffer(bytes: data))
    }
}
