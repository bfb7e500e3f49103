import HTTPTypes

/// Which service a request is for. One port serves them all, as `AWS_ENDPOINT_URL` sends every
/// client to the same place: JSON 1.1 services name themselves in `X-Amz-Target`, query-protocol
/// services (STS, IAM) post a form with `Action=`, and everything else is S3's REST API.
enum ServiceRoute: Equatable {
    case sageMaker(target: String)
    case logs(target: String)
    /// An X-Amz-Target of a service sagebox does not serve.
    case unknownTarget(String)
    case queryProtocol
    case s3
    /// sagebox's own reset (`ResetHandler`), not an AWS service.
    case reset

    static func identify(method: HTTPRequest.Method, path: String, headers: HTTPFields) -> ServiceRoute {
        if method == .post, ResetHandler.paths.contains(path) { return .reset }
        if let target = headers[named: "x-amz-target"] {
            if target.hasPrefix("SageMaker.") { return .sageMaker(target: target) }
            if target.hasPrefix(LogsHandler.targetPrefix) { return .logs(target: target) }
            return .unknownTarget(target)
        }
        // SageMaker Runtime (REST): InvokeEndpoint and its streaming variant, which sagebox does not serve.
        if method == .post, signingService(headers) == "sagemaker", let operation = runtimeOperation(path) {
            return .unknownTarget("SageMakerRuntime.\(operation)")
        }
        let contentType = headers[.contentType]?.lowercased() ?? ""
        // A JSON 1.1 (or 1.0) body without a target is for no S3 operation: answer in JSON.
        if contentType.hasPrefix("application/x-amz-json-") { return .unknownTarget("") }
        if method == .post, path == "/" || path.hasPrefix("/?"), contentType.hasPrefix("application/x-www-form-urlencoded") {
            return .queryProtocol
        }
        if path.hasPrefix("/?") && QueryString(path.dropFirst(2)).has("Action") && signingService(headers) != "s3" {
            return .queryProtocol
        }
        return .s3
    }

    /// The operation of a SageMaker Runtime path (`/endpoints/<name>/invocations`, `.../invocations-response-stream`).
    static func runtimeOperation(_ path: String) -> String? {
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "endpoints", !parts[2].isEmpty else { return nil }
        switch parts[3] {
        case "invocations": return "InvokeEndpoint"
        case "invocations-response-stream": return "InvokeEndpointWithResponseStream"
        default: return nil
        }
    }

    /// The service named in the SigV4 credential scope (`Credential=AK/date/region/SERVICE/aws4_request`).
    static func signingService(_ headers: HTTPFields) -> String? {
        guard let authorization = headers[.authorization], let range = authorization.range(of: "Credential=") else { return nil }
        let scope = authorization[range.upperBound...].prefix { $0 != "," && $0 != " " }.split(separator: "/")
        return scope.count >= 4 ? String(scope[3]) : nil
    }
}
