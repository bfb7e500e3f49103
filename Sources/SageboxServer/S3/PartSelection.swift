import FakeS3
import HTTPTypes

/// GetObject and HeadObject `?partNumber=N`: a ranged read of one part. For an object completed from K
/// parts it is part N's bytes, answered 206 with `Content-Range` and `x-amz-mp-parts-count: K`; any
/// other object is a single part, so part 1 is the whole object (206 with `Content-Range`, no parts
/// count), as AWS answers.
struct PartSelection: Sendable, Equatable {
    /// The part's bytes within the object.
    let bytes: Range<Int64>
    /// The object's number of parts, sent only for an object completed from parts.
    let partsCount: Int?

    /// The part the request's `partNumber` names, or nil when it names none. InvalidArgument for a
    /// number outside 1...10000, InvalidRequest when a Range header comes too, `UnsatisfiablePart`
    /// (InvalidPartNumber, 416, as S3 answers) for a part the object does not have.
    static func resolve(_ query: QueryString, range: String?, object: S3Object, resource: String) throws -> PartSelection? {
        guard let text = query["partNumber"] else { return nil }
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", resource: resource)
        }
        guard range == nil else {
            throw S3Error.invalidRequest("Cannot specify both Range header and partNumber query parameter", resource: resource)
        }
        guard let bytes = object.byteRange(ofPart: number) else {
            throw UnsatisfiablePart(requested: number, partsCount: object.partSizes?.count ?? 1)
        }
        return PartSelection(bytes: bytes, partsCount: object.partSizes?.count)
    }

    /// Adds the part's headers (not Content-Length, which the caller sets or the body carries) to an
    /// object's response headers, and returns the status to answer with. An empty part has no byte to
    /// name in a Content-Range, so it is answered 200 without one.
    func apply(to headers: inout HTTPFields, objectSize: Int64) -> HTTPResponse.Status {
        if let partsCount { headers[named: "x-amz-mp-parts-count"] = String(partsCount) }
        guard !bytes.isEmpty else { return .ok }
        headers[named: "Content-Range"] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(objectSize)"
        return .partialContent
    }
}
