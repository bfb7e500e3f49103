import FakeS3
import Hummingbird
import HTTPTypes
import SageMakerAPI

/// Who may drive the server. Without `serve --credentials` sagebox checks no signature, so it refuses the two things a web page
/// brings: a `Host` that is neither a loopback name nor one the server was told to serve (a
/// DNS-rebinding page reaches 127.0.0.1 under its own name, same-origin with the whole API), and an
/// `Origin` that `serve --allow-origin` did not list (any page can send a no-cors POST, and browsers
/// mark it with its Origin). Jobs reach the server at `http://127.0.0.1:PORT`, a loopback name.
struct RequestGuard: Sendable {
    /// Host names (without port) served besides the loopback ones; lowercased.
    let allowedHosts: Set<String>
    /// Origins (`scheme://host[:port]`) allowed to send requests; lowercased.
    let allowedOrigins: Set<String>

    init(hosts: [String] = [], origins: [String] = []) {
        allowedHosts = Set(hosts.map { Self.bare(Self.withoutPort($0.lowercased())) })
        allowedOrigins = Set(origins.map { $0.lowercased() })
    }

    /// Why the request must be refused, or nil when it may be served. `authority` is its Host header
    /// (HTTPTypes moves the first one out of the fields; a second one stays there and is refused too).
    func refusal(authority: String?, _ headers: HTTPFields) -> Refusal? {
        // A request without Host is no browser's (every browser sends one); HTTP/1.0 tools may omit it.
        if let host = authority, !serves(host: host) { return .host(host) }
        if let second = headers[named: "host"] { return .host(second) }
        if let origin = headers[.origin], !allowedOrigins.contains(origin.lowercased()) { return .origin(origin) }
        return nil
    }

    /// Whether `host` (a Host header: name or address, maybe with a port) names this server. Subdomains
    /// count (`bucket.localhost`, virtual-host style), except of IP addresses.
    func serves(host: String) -> Bool {
        let name = Self.bare(Self.withoutPort(host.lowercased()))
        if Self.isLoopback(name) || allowedHosts.contains(name) { return true }
        return allowedHosts.contains { !Self.isIPAddress($0) && name.hasSuffix("." + $0) }
    }

    /// localhost and its subdomains (RFC 6761 keeps them on this machine), 127.0.0.0/8 and ::1.
    static func isLoopback(_ name: String) -> Bool {
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func isIPAddress(_ name: String) -> Bool {
        name.contains(":") || name.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// `name:port` → `name`; `[::1]:9000` → `[::1]`; a bare IPv6 address (`--host ::`) has no port.
    private static func withoutPort(_ host: String) -> String {
        if host.hasPrefix("[") { return host.firstIndex(of: "]").map { String(host[...$0]) } ?? host }
        if host.filter({ $0 == ":" }).count > 1 { return host }
        return host.firstIndex(of: ":").map { String(host[..<$0]) } ?? host
    }

    /// `[::1]` → `::1`.
    private static func bare(_ name: String) -> String {
        name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
    }

    /// A refused request, with the text its client shows.
    enum Refusal: Equatable {
        case host(String)
        case origin(String)

        var message: String {
            switch self {
            case let .host(host):
                "sagebox serves only loopback names (localhost, 127.0.0.1, [::1]) and the names given to "
                    + "`sagebox serve --allow-host`; this request is for '\(host)'."
            case let .origin(origin):
                "sagebox refuses requests from web pages: this one comes from '\(origin)' (its Origin header). "
                    + "Start `sagebox serve --allow-origin \(origin)` to allow that page."
            }
        }
    }
}

extension RequestGuard.Refusal {
    /// 403 in the protocol of the service the request is for, so that its client shows the message.
    func response(for route: ServiceRoute, requestId: String, isHead: Bool) -> Response {
        switch route {
        case .sageMaker, .logs, .unknownTarget, .reset:
            let error = AWSServiceError(code: "AccessDeniedException", message: message, httpStatus: 403)
            return Reply.json(error.jsonBody, status: 403)
        case .queryProtocol:
            return QueryProtocolHandler.error(code: "AccessDenied", message: message, status: 403,
                                              requestId: requestId)
        case .s3:
            let error = S3Error(code: "AccessDenied", message: message, httpStatus: 403, resource: "/")
            return S3Handler.errorResponse(error, requestId: requestId, isHead: isHead)
        }
    }
}

extension RequestGuard {
    /// The CORS headers that let an allowed page read the answer (and, on a preflight, send the
    /// request); S3 answers a preflight for a bucket's CORS rule the same way.
    func addCORSHeaders(to headers: inout HTTPFields, for request: HTTPFields) {
        guard let origin = request[.origin] else { return }
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
        headers[.accessControlExposeHeaders] = "ETag, x-amz-request-id, x-amzn-RequestId, Content-Range, x-amz-version-id"
        if let method = request[.accessControlRequestMethod] {
            headers[.accessControlAllowMethods] = method
            if let asked = request[.accessControlRequestHeaders] { headers[.accessControlAllowHeaders] = asked }
            headers[.accessControlMaxAge] = "600"
        }
    }
}
