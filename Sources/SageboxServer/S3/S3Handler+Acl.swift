import FakeS3
import Foundation
import Hummingbird
import HTTPTypes

/// GetObjectAcl, GetBucketAcl, PutObjectAcl, PutBucketAcl. sagebox keeps no ACL: every bucket and object
/// has S3's default (the canned ACL `private`: the owner, as ListBuckets names it, with FULL_CONTROL). A
/// Put that asks for exactly that succeeds; any other ACL is NotImplemented, naming what was asked.
extension S3Handler {
    func getBucketAcl(_ address: S3Address) throws -> Response {
        _ = try store.headBucket(address.bucket)
        return try document(AccessControlPolicy(ownerFullControl: Self.owner), root: "AccessControlPolicy")
    }

    func getObjectAcl(_ address: S3Address) throws -> Response {
        _ = try store.headObject(bucket: address.bucket, key: address.key)
        return try document(AccessControlPolicy(ownerFullControl: Self.owner), root: "AccessControlPolicy")
    }

    func putBucketAcl(_ request: Request, _ address: S3Address) async throws -> Response {
        let body = try await RequestBodyReader.collect(request)
        _ = try store.headBucket(address.bucket)
        try OwnerOnlyACL.check(request.headers, body: body, owner: Self.owner.ID, resource: address.resource)
        return Reply.empty()
    }

    func putObjectAcl(_ request: Request, _ address: S3Address) async throws -> Response {
        let body = try await RequestBodyReader.collect(request)
        _ = try store.headObject(bucket: address.bucket, key: address.key)
        try OwnerOnlyACL.check(request.headers, body: body, owner: Self.owner.ID, resource: address.resource)
        return Reply.empty()
    }
}

/// Whether a PutObjectAcl or PutBucketAcl asks for the owner's FULL_CONTROL and nothing else: the canned
/// ACL `private` (`x-amz-acl`), `x-amz-grant-full-control` naming only the owner's ID, or an
/// AccessControlPolicy document whose grants are all the owner's FULL_CONTROL.
enum OwnerOnlyACL {
    static let grantHeaders = ["x-amz-grant-full-control", "x-amz-grant-read", "x-amz-grant-write",
                               "x-amz-grant-read-acp", "x-amz-grant-write-acp"]

    static func check(_ headers: HTTPFields, body: Data, owner: String, resource: String) throws {
        let canned = headers[named: "x-amz-acl"]
        let grants = grantHeaders.compactMap { name in headers[named: name].map { (name, $0) } }
        let hasBody = !body.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard canned != nil || !grants.isEmpty || hasBody else {
            throw S3Error(code: "MissingSecurityHeader", message: "Your request was missing a required header",
                          httpStatus: 400, resource: resource, detail: "x-amz-acl")
        }
        if let canned, canned != "private" { throw unsupported("the canned ACL \(canned)", resource) }
        for (name, value) in grants where name != "x-amz-grant-full-control" || !namesOnly(owner, value) {
            throw unsupported("\(name): \(value)", resource)
        }
        guard hasBody else { return }
        let policy = try S3XML.decodeRequest(AccessControlPolicyRequest.self, .accessControlPolicy, from: body,
                                             resource: resource)
        if let other = policy.Owner?.ID, other != owner { throw unsupported("the owner \(other)", resource) }
        let list = policy.AccessControlList?.Grant ?? []
        guard !list.isEmpty else { throw unsupported("an ACL without the owner's grant", resource) }
        for grant in list {
            let grantee = grant.Grantee
            let permission = grant.Permission ?? ""
            guard permission == "FULL_CONTROL", grantee?.ID == owner, grantee?.URI == nil, grantee?.EmailAddress == nil else {
                let who = grantee?.ID ?? grantee?.URI ?? grantee?.EmailAddress ?? "nobody"
                throw unsupported("the grant of \(permission) to \(who)", resource)
            }
        }
    }

    /// Whether a grant header's value (`id="…"`, comma-separated) names the owner's ID and nobody else.
    private static func namesOnly(_ owner: String, _ value: String) -> Bool {
        value.split(separator: ",").allSatisfy { grantee in
            let parts = grantee.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0].lowercased() == "id"
                && parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == owner
        }
    }

    private static func unsupported(_ asked: String, _ resource: String) -> S3Error {
        S3Error(code: "NotImplemented",
                message: "A header you provided implies functionality that is not implemented: sagebox keeps only "
                    + "the owner's FULL_CONTROL (the canned ACL private), not \(asked)",
                httpStatus: 501, resource: resource)
    }
}
