import Foundation
import Hummingbird
import HTTPTypes
import Logging
import SageMakerAPI

/// The one responder of the server: gives every request an ID, sends it to its service, stamps the ID
/// headers on the answer and logs the exchange.
struct ServerResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let sageMaker: SageMakerHandler
    let logs: LogsHandler
    let query: QueryProtocolHandler
    let s3: S3Handler
    let logger: Logger
    let requestIds = RequestIds()

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = requestIds.next()
        let path = request.head.path ?? "/"
        var (response, label) = await dispatch(request, path: path, requestId: requestId)
        response.headers[named: "x-amzn-RequestId"] = requestId
        response.headers[named: "x-amz-request-id"] = requestId
        let elapsed = (ContinuousClock.now - started).components
        // Tenths of a millisecond in integers: String(format:) cost more than the rest of the log line.
        let tenths = elapsed.seconds * 10_000 + elapsed.attoseconds / 100_000_000_000_000
        logger.info("\(request.method) \(path) \(label) -> \(response.status.code) \(tenths / 10).\(tenths % 10) ms")
        return response
    }

    private func dispatch(_ request: Request, path: String, requestId: String) async -> (Response, String) {
        switch ServiceRoute.identify(method: request.method, path: path, headers: request.headers) {
        case let .sageMaker(target):
            guard let body = await documentBody(request) else { return (Self.tooLarge, target) }
            return (sageMaker.handle(target: target, body: body), target)
        case let .logs(target):
            guard let body = await documentBody(request) else { return (Self.tooLarge, target) }
            return (logs.handle(target: target, body: body), target)
        case let .unknownTarget(target):
            return (Reply.json(AWSServiceError.unknownOperation(target).jsonBody, status: 400), target)
        case .queryProtocol:
            guard let body = await documentBody(request) else { return (Self.tooLarge, "Query") }
            var form = QueryString(String(decoding: body, as: UTF8.self))
            if let mark = path.firstIndex(of: "?"), form["Action"] == nil { form = QueryString(path[path.index(after: mark)...]) }
            return query.handle(form: form, requestId: requestId)
        case .s3:
            return await s3.handle(request, requestId: requestId)
        }
    }

    private func documentBody(_ request: Request) async -> Data? {
        try? await RequestBodyReader.collect(request)
    }

    private static var tooLarge: Response {
        Reply.json(AWSServiceError.serialization("The request body is too large or was cut off.").jsonBody, status: 400)
    }
}
