import Crypto
import Foundation

/// The SigV4 primitives, on swift-crypto: the derived signing key of one scope
/// (`HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`) and the hex digests
/// that string-to-sign and canonical request are made of.
struct SigningKey: Sendable {
    /// The key's bytes (SymmetricKey is not Sendable; the chunk signatures carry the key across tasks).
    let bytes: Data

    init(secret: String, scope: CredentialScope) {
        var bytes = Data("AWS4\(secret)".utf8)
        for part in [scope.date, scope.region, scope.service, scope.terminator] {
            bytes = Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: SymmetricKey(data: bytes)))
        }
        self.bytes = bytes
    }

    /// The lowercase hex HMAC-SHA256 of `stringToSign`: the signature.
    func sign(_ stringToSign: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: bytes)))
    }
}

/// `DATE/REGION/SERVICE/aws4_request`, the scope a credential is valid for.
struct CredentialScope: Sendable, Equatable {
    let date: String
    let region: String
    let service: String
    let terminator: String

    var text: String { "\(date)/\(region)/\(service)/\(terminator)" }
}

enum Hex {
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func sha256<D: DataProtocol>(_ data: D) -> String {
        string(SHA256.hash(data: data))
    }

    static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is 64 lowercase or uppercase hex digits (a SHA-256).
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }
    }

    /// Compares two signatures in time independent of where they differ.
    static func equalSignatures(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
