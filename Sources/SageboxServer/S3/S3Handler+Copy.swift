import FakeS3
import Foundation
import Hummingbird

/// CopyObject and DeleteObjects.
extension S3Handler {
    /// CopyObject from `x-amz-copy-source` (`bucket/key`, URL-encoded, maybe with `?versionId=`).
    /// `x-amz-metadata-directive: REPLACE` takes Content-Type, x-amz-meta-* and the standard headers
    /// (`ObjectHeaders.standardHeaders`) from the request; COPY (the default) keeps the source's.
    func copyObject(_ request: Request, _ address: S3Address) throws -> Response {
        let source = try CopySource(header: request.headers[named: "x-amz-copy-source"], resource: address.resource)
        let (bucket, key) = (source.bucket, source.key)
        let directive = request.headers[named: "x-amz-metadata-directive"]?.uppercased() ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Error.invalidArgument("Unknown metadata directive.", resource: address.resource)
        }
        if bucket == address.bucket, key == address.key, directive == "COPY" {
            throw S3Error.invalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                resource: address.resource)
        }
        let original = try store.openObject(bucket: bucket, key: key)
        let replace = directive == "REPLACE"
        let copied = try store.putObject(
            bucket: address.bucket, key: address.key, copying: original,
            contentType: replace ? ObjectHeaders.contentType(from: request.headers) : original.object.contentType,
            userMetadata: replace ? ObjectHeaders.metadata(from: request.headers) : original.object.userMetadata)
        return try document(CopyObjectResult(LastModified: Timestamps.iso8601(copied.lastModified), ETag: copied.quotedETag),
                            root: "CopyObjectResult")
    }

    /// DeleteObjects (`POST /bucket?delete`): up to 1,000 keys; per-key failures are reported in the
    /// answer, not as an error of the whole request.
    func deleteObjects(_ request: Request, _ address: S3Address) async throws -> Response {
        let body = try await RequestBodyReader.collect(request)
        try ContentIntegrity.check(body, headers: request.headers, resource: address.resource)
        let delete = try S3XML.decodeRequest(DeleteRequest.self, .delete, from: body, resource: address.resource)
        guard delete.Object.count <= 1000 else { throw S3Error.malformedXML(address.resource) }
        _ = try store.headBucket(address.bucket)
        var deleted: [DeleteResult.Deleted] = []
        var failures: [DeleteResult.Failure] = []
        for object in delete.Object {
            do {
                try store.deleteObject(bucket: address.bucket, key: object.Key)
                if delete.Quiet != true { deleted.append(.init(Key: object.Key)) }
            } catch let error as S3Error {
                failures.append(.init(Key: object.Key, Code: error.code, Message: error.message))
            }
        }
        return try document(DeleteResult(Deleted: deleted.isEmpty ? nil : deleted, Error: failures.isEmpty ? nil : failures),
                            root: "DeleteResult")
    }
}
