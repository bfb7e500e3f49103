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
    let reset: ResetHandler
    let access: RequestGuard
    /// Checks every request's signature under `serve --credentials`; nil accepts any.
    let verifier: SignatureVerifier?
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

    /// Sends the request to its service, once its signature holds (under `serve --credentials`). S3 signs
    /// its body through a header, checked while the handler reads it; the other services' bodies are read
    /// first, as their signature covers them.
    private func dispatch(_ request: Request, route: ServiceRoute, path: String, requestId: String) async -> (Response, String) {
        guard let verifier else { return await serve(request, route: route, path: path, requestId: requestId, body: nil) }
        let target = SignatureVerifier.Target(method: request.method.rawValue, target: path,
                                              authority: request.head.authority, headers: request.headers)
        do {
            if route == .s3 {
                let payload = try verifier.verifyS3(target)
                return await SignedPayload.$current.withValue(payload) {
                    await serve(request, route: route, path: path, requestId: requestId, body: nil)
                }
            }
            guard let body = await documentBody(request) else { return (Self.unreadableBody, "Unreadable") }
            try verifier.verifyService(target, body: body)
            return await serve(request, route: route, path: path, requestId: requestId, body: body)
        } catch {
            let resource = PercentEncoding.decode(String(target.rawPath)) ?? String(target.rawPath)
            return (error.response(for: route, resource: resource, requestId: requestId, isHead: request.method == .head),
                    "Unauthenticated")
        }
    }

    /// `read`: the document body when already read.
    private func serve(_ request: Request, route: ServiceRoute, path: String, requestId: String, body read: Data?) async -> (Response, String) {
        switch route {
        case .s3:
            return await s3.handle(request, requestId: requestId)
        case let .unknownTarget(target):
            return (Reply.json(AWSServiceError.unknownOperation(target).jsonBody, status: 400), target)
        case .reset:
            return (await reset.handle(), "Reset")
        case .sageMaker, .logs, .queryProtocol:
            break
        }
        let body: Data? = if let read { read } else { await documentBody(request) }
        switch route {
        case let .sageMaker(target):
            guard let body else { return (Self.unreadableBody, target) }
            return (sageMaker.handle(target: target, body: body), target)
        case let .logs(target):
            guard let body else { return (Self.unreadableBody, target) }
            return (logs.handle(target: target, body: body), target)
        default:
            guard let body else { return (Self.unreadableBody, "Query") }
            var form = QueryString(String(decoding: body, as: UTF8.self))
            if let mark = path.firstIndex(of: "?"), form["Action"] == nil { form = QueryString(path[path.index(after: mark)...]) }
            return query.handle(form: form, requestId: requestId)
        }
    }

    private func documentBody(_ request: Request) async -> Data? {
        try? await RequestBodyReader.collect(request)
    }

    private static var unreadableBody: Response {
        Reply.json(AWSServiceError.serialization("The request body is too large or was cut off.").jsonBody, status: 400)
    }
}
