import Foundation
import HTTPTypes

/// Checks AWS Signature Version 4 (`serve --credentials`) on every request before it is routed: an
/// Authorization header or a presigned URL, signed with a key of the credentials file. S3 signs the body
/// through x-amz-content-sha256 (checked while the body is read, see `SignedPayload`); the other services
/// sign the body's own hash, so theirs is read first.
struct SignatureVerifier: Sendable {
    let credentials: CredentialsFile
    /// S3 allows 15 minutes between the request's time and its own; the other services 5.
    static let s3Skew = 15 * 60
    static let serviceSkew = 5 * 60

    /// The request as the verifier needs it: the target as sent, split into path and query.
    struct Target: Sendable {
        let method: String
        let rawPath: Substring
        let rawQuery: Substring
        let authority: String?
        let headers: HTTPFields

        init(method: String, target: String, authority: String?, headers: HTTPFields) {
            self.method = method
            let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            rawPath = parts[0]
            rawQuery = parts.count > 1 ? parts[1] : ""
            self.authority = authority
            self.headers = headers
        }

        var query: QueryString { QueryString(rawQuery) }
    }

    /// Checks an S3 request and says how its body must be checked as it is read.
    func verifyS3(_ request: Target, now: Date = Date()) throws(AuthFailure) -> SignedPayload {
        if let legacy = LegacyS3Signature.parse(headers: request.headers, query: request.query) {
            guard let secret = credentials.secret(of: legacy.accessKeyId) else { throw .unknownKey(legacy.accessKeyId) }
            try legacy.check(request, secret: secret, now: now)
            return .unchecked
        }
        guard let signed = try SignedRequest.parse(headers: request.headers, query: request.query) else { throw .missing }
        let payloadHash: String
        if let declared = request.headers[named: "x-amz-content-sha256"] {
            payloadHash = declared
        } else if signed.isPresigned {
            // Some SDKs put the payload's hash in a presigned URL's query; the rest leave the payload unsigned.
            payloadHash = request.query["X-Amz-Content-Sha256"] ?? "UNSIGNED-PAYLOAD"
        } else {
            throw .missingContentSHA256
        }
        let key = try check(signed, request, payloadHash: payloadHash, isS3: true, now: now)
        switch payloadHash {
        case "UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
            return .unchecked
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
            let chain = ChunkSignatures(key: key, amzDate: signed.amzDate, scope: signed.scope, seed: signed.signature.lowercased())
            return .chunkSigned(chain, trailer: payloadHash.hasSuffix("-TRAILER"))
        default:
            guard Hex.isSHA256(payloadHash) else { throw .invalidContentSHA256 }
            return .sha256(payloadHash.lowercased())
        }
    }

    /// Checks a request of the JSON or query services, whose signature covers `body`'s hash.
    func verifyService(_ request: Target, body: Data, now: Date = Date()) throws(AuthFailure) {
        guard let signed = try SignedRequest.parse(headers: request.headers, query: request.query) else { throw .missing }
        _ = try check(signed, request, payloadHash: Hex.sha256(body), isS3: false, now: now)
    }

    /// The key, the time and the signature, in that order (as AWS checks them); returns the signing key
    /// for the chunk signatures.
    private func check(_ signed: SignedRequest, _ request: Target, payloadHash: String, isS3: Bool,
                       now: Date) throws(AuthFailure) -> SigningKey {
        guard let secret = credentials.secret(of: signed.accessKeyId) else { throw .unknownKey(signed.accessKeyId) }
        if let expires = signed.expires {
            let end = signed.time.addingTimeInterval(Double(expires))
            if now > end { throw .expired(expires: end, serverTime: now) }
            // Dated ahead, a URL would outlive the week X-Amz-Expires allows.
            if signed.time.timeIntervalSince(now) > Double(Self.s3Skew) {
                throw .notYetValid(requestTime: signed.amzDate, expires: end, serverTime: now)
            }
        } else {
            let limit = isS3 ? Self.s3Skew : Self.serviceSkew
            if abs(now.timeIntervalSince(signed.time)) > Double(limit) {
                throw .skewed(requestTime: signed.amzDate, serverTime: now, limit: limit)
            }
        }
        var values: [(name: String, value: String)] = request.headers.map { ($0.name.canonicalName, $0.value) }
        if let authority = request.authority { values.append(("host", authority)) }
        let canonical = CanonicalRequest(method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery,
                                         excludingQuery: signed.isPresigned ? "X-Amz-Signature" : nil,
                                         headerValues: values, signedHeaders: signed.signedHeaders,
                                         payloadHash: payloadHash, isS3: isS3)
        let stringToSign = canonical.stringToSign(amzDate: signed.amzDate, scope: signed.scope)
        let key = SigningKey(secret: secret, scope: signed.scope)
        guard Hex.equalSignatures(key.sign(stringToSign), signed.signature.lowercased()) else {
            throw .signatureMismatch(accessKeyId: signed.accessKeyId, provided: signed.signature, stringToSign: stringToSign,
                                     canonicalRequest: canonical.text)
        }
        return key
    }
}
