import Crypto
import Foundation

/// The chained signatures of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` body: each chunk's
/// signature signs its data's hash and the previous signature, starting from the request's own (the
/// seed); the trailer's signs the trailing header lines the same way.
struct ChunkSignatures: Sendable {
    let key: SigningKey
    let amzDate: String
    let scope: CredentialScope
    private(set) var previous: String

    init(key: SigningKey, amzDate: String, scope: CredentialScope, seed: String) {
        self.key = key
        self.amzDate = amzDate
        self.scope = scope
        previous = seed
    }

    /// Checks one chunk's `chunk-signature` against its data's SHA-256 (hex), and moves the chain on.
    mutating func verifyChunk(dataHash: String, signature: String) -> Bool {
        let stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n\(amzDate)\n\(scope.text)\n\(previous)\n\(Hex.emptySHA256)\n\(dataHash)"
        return advance(expected: key.sign(stringToSign), signature: signature)
    }

    /// Checks `x-amz-trailer-signature` against the trailing header lines (`name:value\n` each).
    mutating func verifyTrailer(canonicalTrailer: String, signature: String) -> Bool {
        let stringToSign = "AWS4-HMAC-SHA256-TRAILER\n\(amzDate)\n\(scope.text)\n\(previous)\n\(Hex.sha256(Data(canonicalTrailer.utf8)))"
        return advance(expected: key.sign(stringToSign), signature: signature)
    }

    private mutating func advance(expected: String, signature: String) -> Bool {
        guard Hex.equalSignatures(expected, signature.lowercased()) else { return false }
        previous = expected
        return true
    }
}

/// How a request's body must be checked while it is read, once its headers' signature holds. Set for the
/// request's task by the verifier (a task-local, so that every handler's body reading sees it without
/// each one passing it on), read by `RequestBodyReader`.
enum SignedPayload: Sendable {
    /// No signature covers the body (no --credentials, UNSIGNED-PAYLOAD, or the body was already checked).
    case unchecked
    /// x-amz-content-sha256 named the body's SHA-256 (lowercase hex).
    case sha256(String)
    /// aws-chunked with chunk signatures; `trailer`: the -TRAILER variant, whose trailer is signed too.
    case chunkSigned(ChunkSignatures, trailer: Bool)

    @TaskLocal static var current: SignedPayload = .unchecked
}
