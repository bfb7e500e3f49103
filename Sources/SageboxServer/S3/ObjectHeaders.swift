import FakeS3
import HTTPTypes

/// The headers that carry an object's metadata, both ways.
enum ObjectHeaders {
    /// The headers of GetObject and HeadObject.
    static func response(for object: S3Object) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = object.contentType
        headers[named: "ETag"] = object.quotedETag
        headers[named: "Last-Modified"] = Timestamps.httpDate(object.lastModified)
        headers[named: "Accept-Ranges"] = "bytes"
        for (name, value) in object.userMetadata.sorted(by: { $0.key < $1.key }) {
            headers[named: "x-amz-meta-\(name)"] = value
        }
        return headers
    }

    /// The user metadata a request sends as `x-amz-meta-*` headers (names lowercased, as S3 stores them).
    static func userMetadata(from headers: HTTPFields) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in headers {
            let name = field.name.canonicalName
            if name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst(11))] = field.value }
        }
        return metadata
    }

    /// The Content-Type a PutObject sends, if any.
    static func contentType(from headers: HTTPFields) -> String? {
        headers[.contentType]
    }
}
