import Foundation
import HTTPTypes

/// SigV4's canonical request (method, URI, query, headers, signed header names, payload hash, one per
/// line) as the server rebuilds it from what it received.
struct CanonicalRequest: Sendable {
    let text: String

    /// `rawPath` and `rawQuery` are the request target as sent (still percent-encoded). S3 signs the
    /// path encoded once; every other service signs the sent path encoded again (botocore, the SDKs).
    init(method: String, rawPath: Substring, rawQuery: Substring, excludingQuery excluded: String? = nil,
         headerValues: [(name: String, value: String)], signedHeaders: [String], payloadHash: String, isS3: Bool) {
        let uri: String
        if isS3 {
            uri = PercentEncoding.decode(String(rawPath)).map { PercentEncoding.encode($0) } ?? String(rawPath)
        } else {
            uri = PercentEncoding.encode(Self.removingDotSegments(String(rawPath)))
        }
        let headers: String = signedHeaders.map { name -> String in
            let values = headerValues.filter { $0.name == name }.map { Self.trimmed($0.value) }
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
        let lines: [String] = [method, uri.isEmpty ? "/" : uri, Self.query(rawQuery, excluding: excluded), headers,
                signedHeaders.joined(separator: ";"), payloadHash]
        text = lines.joined(separator: "\n")
    }

    /// `AWS4-HMAC-SHA256`, the request time, the scope and the canonical request's hash.
    func stringToSign(amzDate: String, scope: CredentialScope) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope.text)\n\(Hex.sha256(Data(text.utf8)))"
    }

    /// Each parameter decoded and encoded again the one canonical way (only unreserved characters left
    /// as they are), sorted by name, then value; a parameter without `=` has an empty value.
    static func query(_ raw: Substring, excluding excluded: String?) -> String {
        var pairs: [(String, String)] = []
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decoded(pieces[0])
            if name == excluded { continue }
            pairs.append((PercentEncoding.encode(name, keepSlash: false),
                          PercentEncoding.encode(pieces.count > 1 ? decoded(pieces[1]) : "", keepSlash: false)))
        }
        // Byte order, as AWS sorts (String's < compares Unicode scalars, which for the encoded ASCII is the same).
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    private static func decoded(_ text: Substring) -> String {
        PercentEncoding.decode(String(text)) ?? String(text)
    }

    /// Leading and trailing spaces removed, runs of spaces inside made one.
    static func trimmed(_ value: String) -> String {
        var out = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            let isSpace = character == " " || character == "\t"
            if isSpace && lastWasSpace { continue }
            out.append(isSpace ? " " : character)
            lastWasSpace = isSpace
        }
        return out
    }

    /// `.` and `..` segments resolved, as botocore normalizes a non-S3 path before signing it.
    static func removingDotSegments(_ path: String) -> String {
        guard path.contains("/.") else { return path }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment == "." { continue }
            if segment == ".." { _ = output.popLast(); continue }
            output.append(segment)
        }
        let joined = "/" + output.joined(separator: "/")
        return path.hasSuffix("/") && !joined.hasSuffix("/") ? joined + "/" : joined
    }
}
