import Foundation
import HTTPTypes

/// What a request claims about its signature, read from its Authorization header or, for a presigned
/// URL, from its X-Amz-* query parameters; before any key is looked up.
struct SignedRequest: Sendable {
    let accessKeyId: String
    let scope: CredentialScope
    /// `X-Amz-Date`, `yyyyMMddTHHmmssZ`.
    let amzDate: String
    let time: Date
    let signedHeaders: [String]
    let signature: String
    /// X-Amz-Expires of a presigned URL; nil for a signed header.
    let expires: Int?

    var isPresigned: Bool { expires != nil }

    /// Parses the signature parts of a request; nil when it carries none (an anonymous request).
    static func parse(headers: HTTPFields, query: QueryString) throws(AuthFailure) -> SignedRequest? {
        if let authorization = headers[.authorization] {
            return try fromHeader(authorization, headers: headers)
        }
        if query.has("X-Amz-Algorithm") || query.has("X-Amz-Signature") || query.has("X-Amz-Credential") {
            return try fromQuery(query)
        }
        if query.has("Signature") && query.has("AWSAccessKeyId") { throw .unsupportedMechanism }
        return nil
    }

    private static func fromHeader(_ authorization: String, headers: HTTPFields) throws(AuthFailure) -> SignedRequest {
        let trimmed = authorization.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("AWS4-HMAC-SHA256 ") else {
            throw trimmed.hasPrefix("AWS ") || trimmed.hasPrefix("AWS4-") ? .unsupportedMechanism
                : .malformedHeader("the authorization header has an unsupported format")
        }
        var parts: [String: String] = [:]
        for item in trimmed.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parts[String(pair[0])] = String(pair[1]) }
        }
        for name in ["Credential", "SignedHeaders", "Signature"] where parts[name] == nil {
            throw .malformedHeader("Authorization header requires '\(name)' parameter")
        }
        guard let amzDate = headers[named: "x-amz-date"] else { throw .missingDate }
        return try make(credential: parts["Credential"]!, amzDate: amzDate, signedHeaders: parts["SignedHeaders"]!,
                        signature: parts["Signature"]!, expires: nil, presigned: false)
    }

    private static func fromQuery(_ query: QueryString) throws(AuthFailure) -> SignedRequest {
        guard query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" else {
            throw .malformedQuery("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        for name in ["X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires"]
        where query[name] == nil {
            throw .malformedQuery("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard let expires = Int(query["X-Amz-Expires"]!), expires >= 0 else {
            throw .malformedQuery("X-Amz-Expires should be a number")
        }
        guard expires <= 604_800 else {
            throw .malformedQuery("X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        return try make(credential: query["X-Amz-Credential"]!, amzDate: query["X-Amz-Date"]!,
                        signedHeaders: query["X-Amz-SignedHeaders"]!, signature: query["X-Amz-Signature"]!,
                        expires: expires, presigned: true)
    }

    private static func make(credential: String, amzDate: String, signedHeaders: String, signature: String,
                             expires: Int?, presigned: Bool) throws(AuthFailure) -> SignedRequest {
        let fields = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let malformed: (String) -> AuthFailure = { presigned ? .malformedQuery($0) : .malformedHeader($0) }
        guard fields.count == 5, fields[4] == "aws4_request" else {
            throw malformed("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard let time = Self.time(amzDate) else {
            throw presigned ? malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"") : .missingDate
        }
        guard fields[1] == String(amzDate.prefix(8)) else {
            throw malformed("Invalid credential date \"\(fields[1])\". This date is not the same as X-Amz-Date: \"\(amzDate.prefix(8))\".")
        }
        let scope = CredentialScope(date: fields[1], region: fields[2], service: fields[3], terminator: fields[4])
        return SignedRequest(accessKeyId: fields[0], scope: scope, amzDate: amzDate, time: time,
                             signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() },
                             signature: signature, expires: expires)
    }

    /// `yyyyMMddTHHmmssZ` in UTC, else nil.
    static func time(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
