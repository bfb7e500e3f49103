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
    let access: RequestGuard
    let logger: Logger
    let requestIds = RequestIds()

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = requestIds.next()
        let path = request.head.path ?? "/"
        var (response, label) = await answer(request, path: path, requestId: requestId)
        response.headers[named: "x-amzn-RequestId"] = requestId
        response.headers[named: "x-amz-request-id"] = requestId
        let elapsed = (ContinuousClock.now - started).components
        // Tenths of a millisecond in integers: String(format:) cost more than the rest of the log line.
        let tenths = elapsed.seconds * 10_000 + elapsed.attoseconds / 100_000_000_000_000
        logger.info("\(request.method) \(path) \(label) -> \(response.status.code) \(tenths / 10).\(tenths % 10) ms")
        return response
    }

    /// Refuses what `access` refuses; answers a page's CORS preflight, and marks the answers to a page
    /// whose Origin `access` allows.
    private func answer(_ request: Request, path: String, requestId: String) async -> (Response, String) {
        let route = ServiceRoute.identify(method: request.method, path: path, headers: request.headers)
        if let refusal = access.refusal(authority: request.head.authority, request.headers) {
            return (refusal.response(for: route, requestId: requestId, isHead: request.method == .head), "Refused")
        }
        guard request.headers[.origin] != nil else { return await dispatch(request, route: route, path: path, requestId: requestId) }
        var (response, label) = request.method == .options
            ? (Reply.empty(), "CORS preflight")
            : await dispatch(request, route: route, path: path, requestId: requestId)
        access.addCORSHeaders(to: &response.headers, for: request.headers)
        return (response, label)
    }

    private func dispatch(_ request: Request, route: ServiceRoute, path: String, requestId: String) async -> (Response, String) {
        switch route {
        case let .sageMaker(target):
            guard let body = await documentBody(request) else { return (Self.unreadableBody, target) }
            return (sageMaker.handle(target: target, body: body), target)
        case let .logs(target):
            guard let body = await documentBody(request) else { return (Self.unreadableBody, target) }
            return (logs.handle(target: target, body: body), target)
        case let .unknownTarget(target):
            return (Reply.json(AWSServiceError.unknownOperation(target).jsonBody, status: 400), target)
        case .queryProtocol:
            guard let body = await documentBody(request) else { return (Self.unreadableBody, "Query") }
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

    private static var unreadableBody: Response {
        Reply.json(AWSServiceError.serialization("The request body is too large or was cut off.").jsonBody, status: 400)
    }
}
