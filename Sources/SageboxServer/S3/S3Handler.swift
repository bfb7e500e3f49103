import FakeS3
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import SageMakerAPI

/// S3's REST API over the fake S3: picks the operation from the method, the address and the
/// sub-resource in the query, and answers errors with S3's XML error document.
struct S3Handler: Sendable {
    let store: S3Store
    /// `<root>/tmp`, where request bodies are received before the store takes them.
    let temporaryFolder: URL
    /// The host the server listens on, for virtual-host-style addresses.
    let serverHost: String

    /// Answers one S3 request; the label names the operation for the request log.
    func handle(_ request: Request, requestId: String) async -> (Response, String) {
        let raw = request.head.path ?? "/"
        let pathPart = raw.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = QueryString(pathPart.count > 1 ? pathPart[1] : "")
        let isHead = request.method == .head
        guard let address = S3Address(rawPath: String(pathPart[0]), host: request.head.authority, serverHost: serverHost) else {
            return (errorResponse(.invalidURI(String(pathPart[0])), requestId: requestId, isHead: isHead), "S3 InvalidURI")
        }
        let operation = S3Operation.identify(method: request.method, address: address, query: query, headers: request.headers)
        do {
            let response = try await perform(operation, request: request, address: address, query: query)
            return (response, "S3.\(operation.name)")
        } catch let error as S3Error {
            return (errorResponse(error, requestId: requestId, isHead: isHead), "S3.\(operation.name)")
        } catch let error as RequestBodyError {
            return (errorResponse(S3Error(error, resource: address.resource), requestId: requestId, isHead: isHead),
                    "S3.\(operation.name)")
        } catch let error as UnsatisfiableRange {
            var response = errorResponse(.invalidRange(address.resource), requestId: requestId, isHead: isHead)
            response.headers[named: "Content-Range"] = "bytes */\(error.size)"
            return (response, "S3.\(operation.name)")
        } catch let error as UnsatisfiablePart {
            let response = errorResponse(.invalidPartNumber(address.resource), requestId: requestId, isHead: isHead,
                                         part: (error.requested, error.partsCount))
            return (response, "S3.\(operation.name)")
        } catch {
            let failure = S3Error.internalError("\(error)", resource: address.resource)
            return (errorResponse(failure, requestId: requestId, isHead: isHead), "S3.\(operation.name)")
        }
    }

    private func perform(_ operation: S3Operation, request: Request, address: S3Address, query: QueryString) async throws -> Response {
        switch operation {
        case .listBuckets: try listBuckets()
        case .createBucket: try await createBucket(request, address)
        case .headBucket: try headBucket(address)
        case .deleteBucket: try deleteBucket(address)
        case .getBucketLocation: try getBucketLocation(address)
        case .listObjects: try listObjects(address, query)
        case .listObjectsV2: try listObjectsV2(address, query)
        case .listObjectVersions: try listObjectVersions(address, query)
        case .deleteObjects: try await deleteObjects(request, address)
        case .getBucketAcl: try getBucketAcl(address)
        case .putBucketAcl: try await putBucketAcl(request, address)
        case .getObjectAcl: try getObjectAcl(address)
        case .putObjectAcl: try await putObjectAcl(request, address)
        case .putObject: try await putObject(request, address)
        case .copyObject: try copyObject(request, address)
        case .getObject: try getObject(request, address, query)
        case .headObject: try headObject(request, address, query)
        case .deleteObject: try deleteObject(address)
        case .createMultipartUpload: try createMultipartUpload(request, address)
        case .uploadPart: try await uploadPart(request, address, query)
        case .uploadPartCopy: try uploadPartCopy(request, address, query)
        case .completeMultipartUpload: try await completeMultipartUpload(request, address, query)
        case .abortMultipartUpload: try abortMultipartUpload(address, query)
        case .listParts: try listParts(address, query)
        case .listMultipartUploads: try listMultipartUploads(address)
        case let .unsupported(feature): throw S3Error.notImplemented(address.resource, feature: feature)
        }
    }

    /// S3's XML error document with the error's status; HEAD answers carry no body at all (the SDK's
    /// HeadBucket check compares the bare 404). Echoed values are cut and their control characters escaped.
    /// InvalidPartNumber's document also names the part asked for and the object's number of parts.
    func errorResponse(_ error: S3Error, requestId: String, isHead: Bool,
                       part: (requested: Int, count: Int)? = nil) -> Response {
        Self.errorResponse(error, requestId: requestId, isHead: isHead, part: part)
    }

    static func errorResponse(_ error: S3Error, requestId: String, isHead: Bool,
                              part: (requested: Int, count: Int)? = nil,
                              annotate: (inout S3ErrorDocument) -> Void = { _ in }) -> Response {
        if isHead { return Reply.empty(status: error.httpStatus) }
        var document = S3ErrorDocument(Code: error.code, Message: EchoedText.safe(error.message),
                                       Resource: EchoedText.safe(error.resource), RequestId: requestId,
                                       PartNumberRequested: part?.requested, ActualPartCount: part?.count)
        annotate(&document)
        let body = (try? S3XML.encode(document, root: "Error", namespaced: false)) ?? Data()
        return Reply.xml(body, status: error.httpStatus)
    }

    /// A successful XML answer.
    func document<T: Encodable>(_ value: T, root: String) throws -> Response {
        Reply.xml(try S3XML.encode(value, root: root))
    }
}
