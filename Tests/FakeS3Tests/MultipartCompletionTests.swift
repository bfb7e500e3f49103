import FakeS3
import Foundation
import Testing

/// Completing a multipart upload: parts joined on disk into one object whose ETag is the caller's.
@Suite struct MultipartCompletionTests {
    /// Three parts, each larger than the store's 1 MiB copy chunk, with distinct bytes.
    private static func parts(in root: TestRoot) throws -> (urls: [URL], bytes: Data) {
        var urls: [URL] = []
        var all = Data()
        for (index, size) in [(1 << 20) + 3, (3 << 19) + 11, 5].enumerated() {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* (index + 7) &+ index) })
            urls.append(try root.makeFile("part-\(index + 1)", bytes))
            all += bytes
        }
        return (urls, all)
    }

    @Test func partsAreJoinedInOrderUnderTheGivenETag() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let (urls, bytes) = try Self.parts(in: root)
        let etag = "96e024ba2074fe77e8e965ba43a704be-3"
        let object = try root.store.putObject(bucket: "lab", key: "big/joined.bin", concatenatingFilesAt: urls, etag: etag,
                                              contentType: "application/x-parts", userMetadata: ["kind": "parts"])
        #expect(object.etag == etag)
        #expect(object.quotedETag == "\"\(etag)\"")
        #expect(object.size == Int64(bytes.count))
        #expect(object.contentType == "application/x-parts")
        let file = try root.store.getObject(bucket: "lab", key: "big/joined.bin")
        #expect(try Data(contentsOf: file.url) == bytes)
        #expect(file.url.path == root.buckets.appendingPathComponent("lab/big/joined.bin").path)
        #expect(file.object == object)
        #expect(try root.store.headObject(bucket: "lab", key: "big/joined.bin").etag == etag)
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.etag) == [etag])
        // The ETag survives a second store on the same root (it is the row's, not recomputed).
        #expect(try TestRoot.openStore(at: root.url).headObject(bucket: "lab", key: "big/joined.bin").etag == etag)
        // The parts are the caller's: left in place, unchanged; nothing is left in tmp.
        #expect(urls.allSatisfy { FileFacts.exists($0) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func theObjectIsANewFileNotALinkToAPart() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let only = try root.makeFile("only", Data("single part".utf8))
        try root.store.putObject(bucket: "lab", key: "one", concatenatingFilesAt: [only], etag: "0cc175b9c0f1b6a831c399e269772661-1")
        let stored = try root.store.getObject(bucket: "lab", key: "one").url
        #expect(FileFacts(stored)?.inode != FileFacts(only)?.inode)
        #expect(FileFacts(stored)?.linkCount == 1)
        #expect(try Data(contentsOf: stored) == Data("single part".utf8))
    }

    @Test func aMissingPartLeavesThePreviousObjectAndNoTemporaryFile() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let old = try root.store.putObject(bucket: "lab", key: "k", data: Data("old".utf8))
        let present = try root.makeFile("present", Data("x".utf8))
        let missing = root.url.appendingPathComponent("work/missing")
        #expect(throws: S3Error.self) {
            try root.store.putObject(bucket: "lab", key: "k", concatenatingFilesAt: [present, missing], etag: "abc-2")
        }
        #expect(try root.store.headObject(bucket: "lab", key: "k") == old)
        #expect(try Data(contentsOf: root.store.getObject(bucket: "lab", key: "k").url) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func aQuotedOrEmptyETagIsRefused() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let part = try root.makeFile("p", Data("p".utf8))
        for etag in ["", "\"abc-1\""] {
            #expect(throws: S3Error.self) {
                try root.store.putObject(bucket: "lab", key: "k", concatenatingFilesAt: [part], etag: etag)
            }
        }
        #expect(throws: S3Error.noSuchKey(bucket: "lab", key: "k")) { try root.store.headObject(bucket: "lab", key: "k") }
    }

    @Test func aLaterPlainPutHasThePlainMD5Again() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let part = try root.makeFile("p", Data("a".utf8))
        try root.store.putObject(bucket: "lab", key: "k", concatenatingFilesAt: [part], etag: "96e024ba2074fe77e8e965ba43a704be-2")
        let stored = try root.store.getObject(bucket: "lab", key: "k").url
        let copy = try root.store.putObject(bucket: "lab", key: "copy", copyingFileAt: stored)
        #expect(copy.etag == "0cc175b9c0f1b6a831c399e269772661")
    }

    @Test func multipartETagIsTheMD5OfThePartsBinaryMD5s() {
        // MD5("a") and MD5("b"); the expected value was computed with Python's hashlib.
        let parts = ["0cc175b9c0f1b6a831c399e269772661", "92eb5ffee6ae2fec3ad71c777531578f"]
        #expect(MultipartETag.of(partMD5s: parts) == "96e024ba2074fe77e8e965ba43a704be-2")
        #expect(MultipartETag.of(partMD5s: parts.map { "\"\($0)\"" }) == "96e024ba2074fe77e8e965ba43a704be-2")
        #expect(MultipartETag.of(partMD5s: [parts[0]])?.hasSuffix("-1") == true)
        #expect(MultipartETag.of(partMD5s: [parts[0]]) != parts[0] + "-1")
        #expect(MultipartETag.of(partMD5s: []) == nil)
        #expect(MultipartETag.of(partMD5s: ["not-hex-not-hex-not-hex-not-hex!"]) == nil)
        #expect(MultipartETag.of(partMD5s: ["0cc175b9"]) == nil)
    }
}
