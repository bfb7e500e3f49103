import FakeS3
import Foundation
import HTTPTypes

/// The headers that carry an object's metadata, both ways.
///
/// The store keeps one string map per object (`S3Object.userMetadata`, a JSON column). Besides the user
/// metadata (`x-amz-meta-NAME` stored under `NAME`) it holds the standard headers S3 keeps with an object
/// (`standardHeaders`), each under its lowercased name behind `reservedPrefix`. A header name is an HTTP
/// token, which cannot contain `:`, so no `x-amz-meta-` name can ever take a reserved key, and reserved
/// keys are never sent as `x-amz-meta-*`.
enum ObjectHeaders {
    /// The standard headers PutObject, CreateMultipartUpload and CopyObject (REPLACE) set and GetObject and
    /// HeadObject return, as S3 keeps them. Content-Type has a column of its own.
    static let standardHeaders = ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"]
    /// The key prefix of a standard header in the metadata map.
    static let reservedPrefix = ":"

    /// The headers of GetObject and HeadObject.
    static func response(for object: S3Object) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = object.contentType
        headers[named: "ETag"] = object.quotedETag
        headers[named: "Last-Modified"] = Timestamps.httpDate(object.lastModified)
        headers[named: "Accept-Ranges"] = "bytes"
        for (name, value) in object.userMetadata.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix(reservedPrefix) {
                headers[named: String(name.dropFirst(reservedPrefix.count))] = value
            } else {
                headers[named: "x-amz-meta-\(name)"] = MetadataValue.mailSafe(value)
            }
        }
        return headers
    }

    /// What the store keeps from a request's headers: the user metadata sent as `x-amz-meta-*` (names
    /// lowercased, as S3 stores them; RFC 2047 encoded words decoded) and the standard headers.
    static func metadata(from headers: HTTPFields) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in headers {
            let name = field.name.canonicalName
            if name.hasPrefix("x-amz-meta-") {
                metadata[String(name.dropFirst(11))] = MetadataValue.decoded(field.value)
            } else if standardHeaders.contains(name), let value = storedValue(of: name, field.value) {
                metadata[reservedPrefix + name] = value
            }
        }
        return metadata
    }

    /// The value kept for a standard header. Content-Encoding loses `aws-chunked`, which only framed the
    /// request's body (S3 drops it too); nothing is kept when nothing else remains.
    private static func storedValue(of name: String, _ value: String) -> String? {
        guard name == "content-encoding" else { return value }
        let codings = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0.lowercased() != "aws-chunked" }
        return codings.isEmpty ? nil : codings.joined(separator: ",")
    }

    /// The Content-Type a PutObject sends, if any.
    static func contentType(from headers: HTTPFields) -> String? {
        headers[.contentType]
    }
}
