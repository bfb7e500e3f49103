import HTTPTypes

/// The S3 operation a REST request asks for.
enum S3Operation: Sendable, Equatable {
    case listBuckets, createBucket, headBucket, deleteBucket, getBucketLocation
    case listObjects, listObjectsV2, listObjectVersions, deleteObjects, getBucketAcl, putBucketAcl
    case putObject, copyObject, getObject, headObject, deleteObject, getObjectAcl, putObjectAcl
    case createMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload, abortMultipartUpload, listParts, listMultipartUploads
    /// A real S3 operation sagebox does not serve; the text names it for the NotImplemented error.
    case unsupported(String)

    /// Bucket sub-resources that select operations sagebox does not serve.
    private static let bucketSubresources = [
        "cors", "encryption", "lifecycle", "logging", "notification", "object-lock", "ownershipControls",
        "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "tagging",
        "versioning", "website", "accelerate", "analytics", "intelligent-tiering", "inventory", "metrics",
    ]
    private static let objectSubresources = ["tagging", "retention", "legal-hold",
                                             "attributes", "restore", "select", "torrent"]

    static func identify(method: HTTPRequest.Method, address: S3Address, query: QueryString, headers: HTTPFields) -> S3Operation {
        if address.bucket.isEmpty {
            return method == .get ? .listBuckets : .unsupported("\(method) on the service")
        }
        if address.key.isEmpty {
            if query.has("acl") {
                switch method {
                case .get: return .getBucketAcl
                case .put: return .putBucketAcl
                default: return .unsupported("\(method) on a bucket's ?acl")
                }
            }
            if let sub = bucketSubresources.first(where: query.has) { return .unsupported("bucket ?\(sub)") }
            switch method {
            case .put: return .createBucket
            case .head: return .headBucket
            case .delete: return .deleteBucket
            case .post where query.has("delete"): return .deleteObjects
            case .get where query.has("location"): return .getBucketLocation
            case .get where query.has("uploads"): return .listMultipartUploads
            case .get where query.has("versions"): return .listObjectVersions
            case .get where query["list-type"] == "2": return .listObjectsV2
            case .get: return .listObjects
            default: return .unsupported("\(method) on a bucket")
            }
        }
        if query.has("acl") {
            switch method {
            case .get: return .getObjectAcl
            case .put: return .putObjectAcl
            default: return .unsupported("\(method) on an object's ?acl")
            }
        }
        if let sub = objectSubresources.first(where: query.has) { return .unsupported("object ?\(sub)") }
        if query.has("uploadId") {
            switch method {
            case .put where headers[named: "x-amz-copy-source"] != nil: return .uploadPartCopy
            case .put: return .uploadPart
            case .post: return .completeMultipartUpload
            case .delete: return .abortMultipartUpload
            case .get: return .listParts
            default: return .unsupported("\(method) on a multipart upload")
            }
        }
        if method == .post && query.has("uploads") { return .createMultipartUpload }
        switch method {
        case .put: return headers[named: "x-amz-copy-source"] != nil ? .copyObject : .putObject
        case .get: return .getObject
        case .head: return .headObject
        case .delete: return .deleteObject
        default: return .unsupported("\(method) on an object")
        }
    }

    /// The operation's name in S3's API, for the request log.
    var name: String {
        switch self {
        case .listBuckets: "ListBuckets"
        case .createBucket: "CreateBucket"
        case .headBucket: "HeadBucket"
        case .deleteBucket: "DeleteBucket"
        case .getBucketLocation: "GetBucketLocation"
        case .listObjects: "ListObjects"
        case .listObjectsV2: "ListObjectsV2"
        case .listObjectVersions: "ListObjectVersions"
        case .deleteObjects: "DeleteObjects"
        case .getBucketAcl: "GetBucketAcl"
        case .putBucketAcl: "PutBucketAcl"
        case .getObjectAcl: "GetObjectAcl"
        case .putObjectAcl: "PutObjectAcl"
        case .putObject: "PutObject"
        case .copyObject: "CopyObject"
        case .getObject: "GetObject"
        case .headObject: "HeadObject"
        case .deleteObject: "DeleteObject"
        case .createMultipartUpload: "CreateMultipartUpload"
        case .uploadPart: "UploadPart"
        case .uploadPartCopy: "UploadPartCopy"
        case .completeMultipartUpload: "CompleteMultipartUpload"
        case .abortMultipartUpload: "AbortMultipartUpload"
        case .listParts: "ListParts"
        case .listMultipartUploads: "ListMultipartUploads"
        case let .unsupported(feature): "Unsupported(\(feature))"
        }
    }
}
