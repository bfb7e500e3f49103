import FakeS3
import Foundation
import Hummingbird
import HTTPTypes

/// Object operations: PutObject, GetObject, HeadObject, DeleteObject.
extension S3Handler {
    /// PutObject: the body streams to a temporary file, which the store then takes by rename.
    func putObject(_ request: Request, _ address: S3Address) async throws -> Response {
        // Refuse before receiving anything when the bucket is missing or the key is invalid.
        _ = try store.headBucket(address.bucket)
        let file = try await UploadedFile.receive(request, into: temporaryFolder, resource: address.resource)
        defer { file.discard() }
        let object = try store.putObject(bucket: address.bucket, key: address.key, movingFileAt: file.url,
                                         contentType: ObjectHeaders.contentType(from: request.headers),
                                         userMetadata: ObjectHeaders.metadata(from: request.headers))
        var headers = HTTPFields()
        headers[named: "ETag"] = object.quotedETag
        return Reply.empty(headers: headers)
    }

    /// GetObject, streamed from the data file in chunks; a Range or a partNumber gives 206 with Content-Range.
    func getObject(_ request: Request, _ address: S3Address, _ query: QueryString) throws -> Response {
        // The metadata and the open bytes of one version, whatever writes of the key race this request.
        let found = try store.openObject(bucket: address.bucket, key: address.key)
        let part = try PartSelection.resolve(query, range: request.headers[.range], object: found.object,
                                             resource: address.resource)
        let file = ObjectFileReader(file: found, resource: address.resource)
        var headers = ObjectHeaders.response(for: found.object)
        let size = found.object.size
        if let part {
            let status = part.apply(to: &headers, objectSize: size)
            return Response(status: status, headers: headers,
                            body: file.body(offset: part.bytes.lowerBound, length: Int64(part.bytes.count)))
        }
        switch ByteRange.resolve(request.headers[.range], size: size) {
        case .unsatisfiable:
            throw UnsatisfiableRange(size: size)
        case .whole:
            return Response(status: .ok, headers: headers, body: file.body(offset: 0, length: size))
        case let .partial(range):
            headers[named: "Content-Range"] = range.contentRange(size: size)
            return Response(status: .partialContent, headers: headers, body: file.body(offset: range.first, length: range.length))
        }
    }

    /// HeadObject; with a partNumber, the part's length, Content-Range and parts count (see `PartSelection`).
    func headObject(_ request: Request, _ address: S3Address, _ query: QueryString) throws -> Response {
        let object = try store.headObject(bucket: address.bucket, key: address.key)
        let part = try PartSelection.resolve(query, range: request.headers[.range], object: object, resource: address.resource)
        var headers = ObjectHeaders.response(for: object)
        headers[.contentLength] = String(part.map { Int64($0.bytes.count) } ?? object.size)
        let status = part?.apply(to: &headers, objectSize: object.size) ?? .ok
        return Reply.empty(status: Int(status.code), headers: headers)
    }

    func deleteObject(_ address: S3Address) throws -> Response {
        try store.deleteObject(bucket: address.bucket, key: address.key)
        return Reply.empty(status: 204)
    }
}
