import FakeS3
import Foundation
import Testing

@Suite struct ObjectRoundTripTests {
    @Test func putThenGetAndHead() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let put = try root.store.putObject(bucket: "lab", key: "raw/data.bin", data: bytes,
                                           contentType: "application/x-test", userMetadata: ["owner": "ana"])

        let file = try root.store.getObject(bucket: "lab", key: "raw/data.bin")
        #expect(try Data(contentsOf: file.url) == bytes)
        #expect(file.url.path == root.buckets.appendingPathComponent("lab/raw/data.bin").path)
        #expect(file.object == put)
        #expect(try root.store.headObject(bucket: "lab", key: "raw/data.bin") == put)
        #expect(put.size == 300_000)
        #expect(put.contentType == "application/x-test")
        #expect(put.userMetadata == ["owner": "ana"])
        #expect(abs(put.lastModified.timeIntervalSinceNow) < 60)
        let mtime = try FileManager.default.attributesOfItem(atPath: file.url.path)[.modificationDate] as? Date
        #expect(mtime.map { abs($0.timeIntervalSince(put.lastModified)) < 0.002 } == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func etagIsTheHexMD5OfTheBytes() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let empty = try root.store.putObject(bucket: "lab", key: "empty", data: Data())
        #expect(empty.etag == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(empty.quotedETag == "\"d41d8cd98f00b204e9800998ecf8427e\"")
        // Larger than one 1 MiB chunk, so hashing across chunks is exercised.
        let big = Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let object = try root.store.putObject(bucket: "lab", key: "big", data: big)
        let url = try root.store.getObject(bucket: "lab", key: "big").url
        #expect(object.etag == (try md5sum(url)))
        #expect(object.etag.count == 32)
    }

    @Test func contentTypeDefaultsToBinaryOctetStream() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        #expect(try root.store.putObject(bucket: "lab", key: "k", data: Data("x".utf8)).contentType
            == "binary/octet-stream")
    }

    @Test func putCopyingLeavesTheSourceAndCopiesTheBytes() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let source = try root.makeFile("data.csv", Data("a,b\n1,2\n".utf8))
        let object = try root.store.putObject(bucket: "lab", key: "raw/data.csv", copyingFileAt: source)
        let stored = try root.store.getObject(bucket: "lab", key: "raw/data.csv").url
        #expect(try Data(contentsOf: stored) == Data("a,b\n1,2\n".utf8))
        #expect(FileFacts(source)?.inode != FileFacts(stored)?.inode)
        #expect(FileFacts.exists(source))
        #expect(object.etag == (try md5sum(source)))
    }

    @Test func missingKeyIsNoSuchKey() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let error = #expect(throws: S3Error.self) { try root.store.getObject(bucket: "lab", key: "nope") }
        #expect(error?.code == "NoSuchKey")
        #expect(error?.message == "The specified key does not exist.")
        #expect(error?.httpStatus == 404)
        #expect(error?.resource == "/lab/nope")
    }

    @Test func deleteRemovesFileRowAndEmptyFolders() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "deep/er/x.txt", data: Data("x".utf8))
        try root.store.putObject(bucket: "lab", key: "deep/y.txt", data: Data("y".utf8))
        try root.store.deleteObject(bucket: "lab", key: "deep/er/x.txt")
        #expect(throws: S3Error.noSuchKey(bucket: "lab", key: "deep/er/x.txt")) {
            try root.store.headObject(bucket: "lab", key: "deep/er/x.txt")
        }
        #expect(root.tree() == ["buckets", "buckets/lab", "buckets/lab/deep", "buckets/lab/deep/y.txt", "tmp"])
        try root.store.deleteObject(bucket: "lab", key: "deep/y.txt")
        #expect(root.tree() == ["buckets", "buckets/lab", "tmp"])
        // Deleting again succeeds, as on S3.
        try root.store.deleteObject(bucket: "lab", key: "deep/y.txt")
        #expect(try root.store.listObjects(bucket: "lab").objects.isEmpty)
    }
}
