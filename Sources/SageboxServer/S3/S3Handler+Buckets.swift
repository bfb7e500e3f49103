import FakeS3
import Foundation
import Hummingbird
import HTTPTypes

/// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
extension S3Handler {
    static let owner = ListAllMyBucketsResult.Owner(ID: "000000000000", DisplayName: "sagebox")

    func listBuckets() throws -> Response {
        let buckets = try store.listBuckets().map {
            ListAllMyBucketsResult.BucketEntry(Name: $0.name, CreationDate: Timestamps.iso8601($0.creationDate))
        }
        return try document(ListAllMyBucketsResult(Owner: Self.owner, Buckets: .init(Bucket: buckets.isEmpty ? nil : buckets)),
                            root: "ListAllMyBucketsResult")
    }

    /// CreateBucket. A CreateBucketConfiguration body is accepted (and must parse); sagebox has one
    /// region, so its LocationConstraint is not kept, except to decide the answer to re-creating an
    /// existing bucket (200 in us-east-1, BucketAlreadyOwnedByYou elsewhere, as S3 does).
    func createBucket(_ request: Request, _ address: S3Address) async throws -> Response {
        let body = try await RequestBodyReader.collect(request)
        var region = "us-east-1"
        if !body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            let configuration = try S3XML.decodeRequest(CreateBucketConfiguration.self, .createBucketConfiguration,
                                                        from: body, resource: address.resource)
            region = configuration.LocationConstraint.flatMap { $0.isEmpty ? nil : $0 } ?? region
        }
        do {
            try store.createBucket(address.bucket)
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" && region == "us-east-1" {
            // S3 in us-east-1 answers 200 to re-creating a bucket you own; every other region refuses.
        }
        var headers = HTTPFields()
        headers[named: "Location"] = "/\(address.bucket)"
        return Reply.empty(headers: headers)
    }

    func headBucket(_ address: S3Address) throws -> Response {
        _ = try store.headBucket(address.bucket)
        var headers = HTTPFields()
        headers[named: "x-amz-bucket-region"] = "us-east-1"
        return Reply.empty(headers: headers)
    }

    func deleteBucket(_ address: S3Address) throws -> Response {
        try store.deleteBucket(address.bucket)
        return Reply.empty(status: 204)
    }

    /// GetBucketLocation: empty, which S3 uses for us-east-1, sagebox's only region.
    func getBucketLocation(_ address: S3Address) throws -> Response {
        _ = try store.headBucket(address.bucket)
        return try document(LocationConstraint(), root: "LocationConstraint")
    }
}
