import FakeS3
import Foundation
import Hummingbird
import HTTPTypes

/// Multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload,
/// ListParts, ListMultipartUploads. Parts stream to disk like PutObject bodies.
extension S3Handler {
    var uploads: MultipartUploadStore { MultipartUploadStore(temporaryFolder: temporaryFolder) }

    func createMultipartUpload(_ request: Request, _ address: S3Address) throws -> Response {
        _ = try store.headBucket(address.bucket)
        let upload = try uploads.create(bucket: address.bucket, key: address.key,
                                        contentType: ObjectHeaders.contentType(from: request.headers),
                                        userMetadata: ObjectHeaders.metadata(from: request.headers))
        return try document(InitiateMultipartUploadResult(Bucket: address.bucket, Key: address.key, UploadId: upload.uploadId),
                            root: "InitiateMultipartUploadResult")
    }

    func uploadPart(_ request: Request, _ address: S3Address, _ query: QueryString) async throws -> Response {
        guard let number = query["partNumber"].flatMap(Int.init), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", resource: address.resource)
        }
        let upload = try uploads.upload(query["uploadId"] ?? "", bucket: address.bucket, key: address.key)
        let file = try await UploadedFile.receive(request, into: temporaryFolder, resource: address.resource, hashing: true)
        defer { file.discard() }
        try uploads.savePart(file, number: number, of: upload)
        var headers = HTTPFields()
        headers[named: "ETag"] = "\"\(file.md5Hex ?? "")\""
        return Reply.empty(headers: headers)
    }

    /// UploadPartCopy: a part from (a range of) an existing object, as the AWS CLI copies large objects.
    func uploadPartCopy(_ request: Request, _ address: S3Address, _ query: QueryString) throws -> Response {
        guard let number = query["partNumber"].flatMap(Int.init), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", resource: address.resource)
        }
        let upload = try uploads.upload(query["uploadId"] ?? "", bucket: address.bucket, key: address.key)
        let source = try CopySource(header: request.headers[named: "x-amz-copy-source"], resource: address.resource)
        // Open, not by path: the part is one whole version of the source, whatever overwrites it meanwhile.
        let original = try store.openObject(bucket: source.bucket, key: source.key)
        let size = original.object.size
        var range = ByteRange(first: 0, last: size - 1)
        if let header = request.headers[named: "x-amz-copy-source-range"] {
            guard case let .partial(requested) = ByteRange.resolve(header, size: size), requested.last < size,
                  header.hasPrefix("bytes=\(requested.first)-") else {
                throw S3Error.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                                              resource: address.resource)
            }
            range = requested
        }
        let etag = try uploads.copyPart(from: original, range: range, number: number, of: upload)
        return try document(CopyPartResult(LastModified: Timestamps.iso8601(Date()), ETag: "\"\(etag)\""), root: "CopyPartResult")
    }

    /// CompleteMultipartUpload. The object's ETag is S3's multipart one, `<MD5 of the parts' MD5s>-N`,
    /// the same from Complete, HeadObject, GetObject and ListObjects; the parts are joined by the store
    /// without passing through memory.
    func completeMultipartUpload(_ request: Request, _ address: S3Address, _ query: QueryString) async throws -> Response {
        if let etag = uploads.completedETag(query["uploadId"] ?? "", bucket: address.bucket, key: address.key) {
            // Completed already: S3 answers success again, and SDKs retrying after a timeout rely on it.
            _ = try await RequestBodyReader.collect(request)
            let result = CompleteMultipartUploadResult(Location: address.resource, Bucket: address.bucket, Key: address.key, ETag: etag)
            return try self.document(result, root: "CompleteMultipartUploadResult")
        }
        let upload = try uploads.upload(query["uploadId"] ?? "", bucket: address.bucket, key: address.key)
        let body = try await RequestBodyReader.collect(request)
        let document = try S3XML.decodeRequest(CompleteMultipartUploadRequest.self, .completeMultipartUpload,
                                               from: body, resource: address.resource)
        let snapshot = uploads.snapshotFolder(of: upload)
        defer { try? FileManager.default.removeItem(at: snapshot) }
        let parts = try uploads.chooseParts(of: upload, requested: document.Part.map { ($0.PartNumber, $0.ETag) },
                                            snapshot: snapshot)
        guard let etag = MultipartETag.of(partMD5s: parts.map(\.etag)) else {
            throw S3Error.internalError("a part's MD5 is unreadable", resource: address.resource)
        }
        let object = try store.putObject(bucket: address.bucket, key: address.key, concatenatingFilesAt: parts.map(\.url),
                                         etag: etag, contentType: upload.contentType, userMetadata: upload.userMetadata)
        uploads.markCompleted(upload, etag: object.quotedETag)
        let result = CompleteMultipartUploadResult(Location: address.resource, Bucket: address.bucket, Key: address.key,
                                                   ETag: object.quotedETag)
        return try self.document(result, root: "CompleteMultipartUploadResult")
    }

    func abortMultipartUpload(_ address: S3Address, _ query: QueryString) throws -> Response {
        let upload = try uploads.upload(query["uploadId"] ?? "", bucket: address.bucket, key: address.key)
        uploads.remove(upload)
        return Reply.empty(status: 204)
    }

    func listParts(_ address: S3Address, _ query: QueryString) throws -> Response {
        let upload = try uploads.upload(query["uploadId"] ?? "", bucket: address.bucket, key: address.key)
        let marker = query["part-number-marker"].flatMap(Int.init) ?? 0
        let maxParts = min(query["max-parts"].flatMap(Int.init) ?? 1000, 1000)
        let after = try uploads.parts(of: upload).filter { $0.number > marker }
        let page = Array(after.prefix(maxParts))
        let truncated = after.count > page.count
        let parts = page.map {
            ListPartsResult.ListedPart(PartNumber: $0.number, LastModified: Timestamps.iso8601($0.lastModified), ETag: "\"\($0.etag)\"", Size: $0.size)
        }
        let result = ListPartsResult(Bucket: address.bucket, Key: address.key, UploadId: upload.uploadId, PartNumberMarker: marker,
                                     NextPartNumberMarker: truncated ? page.last?.number : nil, MaxParts: maxParts,
                                     IsTruncated: truncated, StorageClass: "STANDARD", Part: parts.isEmpty ? nil : parts)
        return try document(result, root: "ListPartsResult")
    }

    /// ListMultipartUploads (every upload of the bucket in one page, up to 1,000).
    func listMultipartUploads(_ address: S3Address) throws -> Response {
        _ = try store.headBucket(address.bucket)
        let all = uploads.uploads(in: address.bucket)
        let page = all.prefix(1000).map {
            ListMultipartUploadsResult.ListedUpload(Key: $0.key, UploadId: $0.uploadId,
                                              Initiated: Timestamps.iso8601(Date(timeIntervalSince1970: $0.initiated)),
                                              StorageClass: "STANDARD")
        }
        let result = ListMultipartUploadsResult(Bucket: address.bucket, KeyMarker: "", UploadIdMarker: "", MaxUploads: 1000,
                                                IsTruncated: all.count > 1000, Upload: page.isEmpty ? nil : page)
        return try document(result, root: "ListMultipartUploadsResult")
    }
}
