import FakeS3
import Foundation
import Testing

@Suite struct BucketTests {
    @Test func createListHeadAndDelete() throws {
        let root = try TestRoot()
        let created = try root.store.createBucket("lab")
        try root.store.createBucket("data.2024-01")
        #expect(created.name == "lab")
        #expect(abs(created.creationDate.timeIntervalSinceNow) < 60)
        #expect(FileFacts(root.buckets.appendingPathComponent("lab")) != nil)
        #expect(try root.store.listBuckets().map(\.name) == ["data.2024-01", "lab"])
        #expect(try root.store.headBucket("lab") == created)
        #expect(try root.store.bucketExists("lab"))

        try root.store.deleteBucket("lab")
        #expect(try !root.store.bucketExists("lab"))
        #expect(!FileFacts.exists(root.buckets.appendingPathComponent("lab")))
        #expect(try root.store.listBuckets().map(\.name) == ["data.2024-01"])
    }

    @Test func createExistingBucketIsAlreadyOwnedByYou() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let error = #expect(throws: S3Error.self) { try root.store.createBucket("lab") }
        #expect(error?.code == "BucketAlreadyOwnedByYou")
        #expect(error?.httpStatus == 409)
    }

    @Test func missingBucketIsNoSuchBucket() throws {
        let root = try TestRoot()
        let head = #expect(throws: S3Error.self) { try root.store.headBucket("nope") }
        #expect(head == S3Error.noSuchBucket("nope"))
        #expect(head?.message == "The specified bucket does not exist")
        #expect(head?.httpStatus == 404)
        #expect(throws: S3Error.noSuchBucket("nope")) { try root.store.deleteBucket("nope") }
        #expect(throws: S3Error.noSuchBucket("nope")) { try root.store.putObject(bucket: "nope", key: "k", data: Data()) }
        #expect(throws: S3Error.noSuchBucket("nope")) { try root.store.listObjects(bucket: "nope") }
        #expect(throws: S3Error.noSuchBucket("nope")) { try root.store.deleteObject(bucket: "nope", key: "k") }
        #expect(root.tree() == ["buckets", "tmp"])
    }

    @Test func nonEmptyBucketIsNotDeleted() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "x", data: Data("1".utf8))
        let error = #expect(throws: S3Error.self) { try root.store.deleteBucket("lab") }
        #expect(error?.code == "BucketNotEmpty")
        #expect(error?.httpStatus == 409)
        #expect(try root.store.headObject(bucket: "lab", key: "x").size == 1)

        try root.store.deleteObject(bucket: "lab", key: "x")
        try root.store.deleteBucket("lab")
        #expect(try !root.store.bucketExists("lab"))
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "Lab", "my_bucket", "-lab", "lab-", ".lab", "lab.",
        "a..b", "192.168.5.4", "xn--lab", "sthree-lab", "lab-s3alias", "lab--ol-s3", "lab.mrap",
        "../x", "a/b", "..", "la b", "läb", "",
    ])
    func invalidBucketNamesAreRefused(name: String) throws {
        let root = try TestRoot()
        let error = #expect(throws: S3Error.self) { try root.store.createBucket(name) }
        #expect(error?.code == "InvalidBucketName")
        #expect(error?.message == "The specified bucket is not valid.")
        #expect(error?.httpStatus == 400)
        #expect(error?.detail?.isEmpty == false)
        #expect(root.tree() == ["buckets", "tmp"])
        #expect(throws: S3Error.self) { try root.store.putObject(bucket: name, key: "k", data: Data()) }
    }

    @Test(arguments: ["abc", String(repeating: "a", count: 63), "1.2.3", "my-bucket.v2", "192.168.5.4x"])
    func validBucketNamesAreAccepted(name: String) throws {
        let root = try TestRoot()
        try root.store.createBucket(name)
        #expect(try root.store.bucketExists(name))
    }
}
