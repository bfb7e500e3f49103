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
                                         userMetadata: ObjectHeaders.userMetadata(from: request.headers))
        var headers = HTTPFields()
        headers[named: "ETag"] = object.quotedETag
        return Reply.empty(headers: headers)
    }

    /// GetObject, streamed from the data file in chunks; a Range gives 206 with Content-Range.
    func getObject(_ request: Request, _ address: S3Address, _ query: QueryString) throws -> Response {
        let found = try store.getObject(bucket: address.bucket, key: address.key)
        try checkPartNumber(query, address)
        // Opened before answering: a later overwrite or delete renames, so this file keeps its bytes.
        let file = try ObjectFileReader(url: found.url, resource: address.resource)
        var headers = ObjectHeaders.response(for: found.object)
        let size = found.object.size
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

    func headObject(_ address: S3Address, _ query: QueryString) throws -> Response {
        let object = try store.headObject(bucket: address.bucket, key: address.key)
        try checkPartNumber(query, address)
        var headers = ObjectHeaders.response(for: object)
        headers[.contentLength] = String(object.size)
        return Reply.empty(headers: headers)
    }

    /// `partNumber`: the store keeps no part boundaries, so part 1 is the whole object (for a multipart
    /// object too, where S3 would give its first part) and any other part number is InvalidPartNumber.
    private func checkPartNumber(_ query: QueryString, _ address: S3Address) throws {
        guard let text = query["partNumber"] else { return }
        guard let number = Int(text), number >= 1, number <= 10_000 else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", resource: address.resource)
        }
        if number != 1 {
            throw S3Error(code: "InvalidPartNumber", message: "The requested partnumber is not satisfiable", httpStatus: 416,
                          resource: address.resource)
        }
    }

    func deleteObject(_ address: S3Address) throws -> Response {
        try store.deleteObject(bucket: address.bucket, key: address.key)
        return Reply.empty(status: 204)
    }
}
