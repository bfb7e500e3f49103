import FakeS3
import Foundation
import Testing

@Suite struct LinkAndMoveTests {
    @Test func linkObjectIsAHardLinkOnTheSameFileSystem() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "in/data.csv", data: Data("v1 bytes".utf8))
        let stored = try root.store.getObject(bucket: "lab", key: "in/data.csv").url
        let staged = root.url.appendingPathComponent("jobs/j1/input/data.csv")

        #expect(try root.store.linkObject(bucket: "lab", key: "in/data.csv", to: staged) == .hardLink)
        #expect(try Data(contentsOf: staged) == Data("v1 bytes".utf8))
        #expect(FileFacts(staged)?.inode == FileFacts(stored)?.inode)
        #expect(FileFacts(stored)?.linkCount == 2)

        // Later writes and deletes of the object leave the staged bytes alone.
        try root.store.putObject(bucket: "lab", key: "in/data.csv", data: Data("v2".utf8))
        try root.store.deleteObject(bucket: "lab", key: "in/data.csv")
        #expect(try Data(contentsOf: staged) == Data("v1 bytes".utf8))
        #expect(FileFacts(staged)?.linkCount == 1)
    }

    @Test func linkObjectCopiesAcrossFileSystems() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "k", data: Data("bytes".utf8))
        let other = URL(fileURLWithPath: "/dev/shm/fakes3-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: other) }
        let destination = other.appendingPathComponent("k")
        let method = try root.store.linkObject(bucket: "lab", key: "k", to: destination)
        let otherDevice = FileFacts(other)?.device != FileFacts(root.buckets)?.device
        #expect(method == (otherDevice ? .copy : .hardLink))
        #expect(try Data(contentsOf: destination) == Data("bytes".utf8))
    }

    @Test func linkObjectOfAMissingKeyIsNoSuchKey() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        #expect(throws: S3Error.noSuchKey(bucket: "lab", key: "k")) {
            try root.store.linkObject(bucket: "lab", key: "k", to: root.url.appendingPathComponent("x"))
        }
    }

    @Test func movingPutConsumesTheSourceWithoutCopying() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let output = try root.makeFile("output/train.csv", Data("1,2,3\n".utf8))
        let inode = FileFacts(output)?.inode
        let expectedMD5 = try md5sum(output)

        let object = try root.store.putObject(bucket: "lab", key: "out/train.csv", movingFileAt: output)
        let stored = try root.store.getObject(bucket: "lab", key: "out/train.csv").url
        #expect(!FileFacts.exists(output))
        #expect(FileFacts(stored)?.inode == inode)
        #expect(FileFacts(stored)?.linkCount == 1)
        #expect(object.etag == expectedMD5)
        #expect(try Data(contentsOf: stored) == Data("1,2,3\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func movingPutCopiesAFileWithOtherHardLinks() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let output = try root.makeFile("output/x", Data("shared".utf8))
        let otherName = output.deletingLastPathComponent().appendingPathComponent("y")
        try FileManager.default.linkItem(at: output, to: otherName)

        try root.store.putObject(bucket: "lab", key: "x", movingFileAt: output)
        let stored = try root.store.getObject(bucket: "lab", key: "x").url
        #expect(!FileFacts.exists(output))
        #expect(FileFacts(stored)?.inode != FileFacts(otherName)?.inode)
        #expect(FileFacts(otherName)?.linkCount == 1)
        #expect(try Data(contentsOf: stored) == Data("shared".utf8))
    }

    @Test func movingPutRefusesASymbolicLinkAndKeepsIt() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let target = try root.makeFile("target", Data("t".utf8))
        let link = target.deletingLastPathComponent().appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let error = #expect(throws: S3Error.self) { try root.store.putObject(bucket: "lab", key: "x", movingFileAt: link) }
        #expect(error?.code == "InvalidArgument")
        #expect(FileFacts.exists(link))
        #expect(try root.store.listObjects(bucket: "lab").objects.isEmpty)
    }
}
