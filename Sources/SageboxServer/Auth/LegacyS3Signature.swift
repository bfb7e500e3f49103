import Crypto
import Foundation
import HTTPTypes

/// S3's signature version 2 (HMAC-SHA1 over method, Content-MD5, Content-Type, date, `x-amz-*` headers and
/// resource), accepted for S3 requests only: boto3 and the AWS CLI still presign with it
/// (`?AWSAccessKeyId=&Expires=&Signature=`) when given an endpoint URL and no `signature_version='s3v4'`.
/// The resource is the path as sent, so virtual-host-style requests must use SigV4.
struct LegacyS3Signature: Sendable {
    let accessKeyId: String
    let signature: String
    /// The date line of the string to sign: Expires (query) or the Date header (empty under x-amz-date).
    let dateLine: String
    /// When the request was made (header) or stops being valid (query).
    let time: Date?
    let isPresigned: Bool

    /// The sub-resources S3 signs, as botocore lists them.
    static let signedSubresources: Set<String> = [
        "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy", "requestPayment",
        "torrent", "versioning", "versionId", "versions", "website", "uploads", "uploadId", "response-content-type",
        "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
        "response-content-encoding", "delete", "lifecycle", "tagging", "restore", "storageClass", "notification",
        "replication", "analytics", "metrics", "inventory", "select", "select-type", "object-lock",
    ]

    /// The request's V2 signature, or nil when it has none.
    static func parse(headers: HTTPFields, query: QueryString) -> LegacyS3Signature? {
        if let authorization = headers[.authorization], authorization.hasPrefix("AWS "),
           let colon = authorization.lastIndex(of: ":") {
            let id = String(authorization.dropFirst(4)[..<colon]).trimmingCharacters(in: .whitespaces)
            let amzDate = headers[named: "x-amz-date"]
            let date = amzDate ?? headers[named: "date"] ?? ""
            return LegacyS3Signature(accessKeyId: id, signature: String(authorization[authorization.index(after: colon)...]),
                                     dateLine: amzDate == nil ? date : "", time: httpDate(date), isPresigned: false)
        }
        if let id = query["AWSAccessKeyId"], let signature = query["Signature"], let expires = query["Expires"] {
            return LegacyS3Signature(accessKeyId: id, signature: signature, dateLine: expires,
                                     time: Int(expires).map { Date(timeIntervalSince1970: Double($0)) }, isPresigned: true)
        }
        return nil
    }

    func check(_ request: SignatureVerifier.Target, secret: String, now: Date) throws(AuthFailure) {
        guard let time else { throw isPresigned ? .malformedQuery("Invalid date (should be seconds since epoch): \(dateLine)") : .missingDate }
        if isPresigned, now > time { throw .expired(expires: time, serverTime: now) }
        if !isPresigned, abs(now.timeIntervalSince(time)) > Double(SignatureVerifier.s3Skew) {
            throw .skewed(requestTime: dateLine, serverTime: now, limit: SignatureVerifier.s3Skew)
        }
        let stringToSign = Self.stringToSign(request, dateLine: dateLine)
        let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8),
                                                                   using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
        guard Hex.equalSignatures(expected, signature) else {
            throw .signatureMismatch(accessKeyId: accessKeyId, provided: signature, stringToSign: stringToSign, canonicalRequest: "")
        }
    }

    static func stringToSign(_ request: SignatureVerifier.Target, dateLine: String) -> String {
        let headers = request.headers
        var amzHeaders: [String: [String]] = [:]
        for field in headers where field.name.canonicalName.hasPrefix("x-amz-") {
            amzHeaders[field.name.canonicalName, default: []].append(field.value.trimmingCharacters(in: .whitespaces))
        }
        let custom = amzHeaders.keys.sorted().map { "\($0):\(amzHeaders[$0]!.joined(separator: ","))\n" }.joined()
        var resource = String(request.rawPath)
        let signed = request.rawQuery.split(separator: "&").compactMap { part -> (String, String?)? in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard signedSubresources.contains(String(pieces[0])) else { return nil }
            return (String(pieces[0]), pieces.count > 1 ? (PercentEncoding.decode(String(pieces[1])) ?? String(pieces[1])) : nil)
        }
        if !signed.isEmpty {
            // Sorted by name only, keeping the order of equal names (Python's stable sort, as botocore signs).
            let sorted = signed.enumerated().sorted { $0.element.0 == $1.element.0 ? $0.offset < $1.offset : $0.element.0 < $1.element.0 }
            resource += "?" + sorted.map { item in
                let (name, value) = item.element
                return value.map { "\(name)=\($0)" } ?? name
            }.joined(separator: "&")
        }
        let lines: [String] = [request.method, headers[named: "content-md5"] ?? "", headers[.contentType] ?? "", dateLine]
        return lines.joined(separator: "\n") + "\n" + custom + resource
    }

    /// An RFC 1123 date (`Tue, 01 Dec 2026 03:00:00 GMT`, or `+0000` for the zone), as the Date header has it.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm:ss Z"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
