import FakeS3
import Foundation
import Testing

@Suite struct KeySafetyTests {
    static let escapingKeys = ["../x", "a/../../x", "..", "x/..", "/abs", "/", "a\u{0}b", "\u{0}", "/\u{301}x",
                               "../\u{301}x"]

    @Test(arguments: escapingKeys)
    func escapingKeysAreRefusedAndNothingIsWritten(key: String) throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let source = try root.makeFile("payload", Data("payload".utf8))
        let before = root.tree()

        let error = #expect(throws: S3Error.self) { try root.store.putObject(bucket: "lab", key: key, data: Data("x".utf8)) }
        #expect(error?.code == "InvalidArgument")
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("Object key must not") == true)
        #expect(throws: S3Error.self) { try root.store.putObject(bucket: "lab", key: key, copyingFileAt: source) }
        #expect(throws: S3Error.self) { try root.store.putObject(bucket: "lab", key: key, movingFileAt: source) }
        #expect(throws: S3Error.self) { try root.store.getObject(bucket: "lab", key: key) }
        #expect(throws: S3Error.self) { try root.store.deleteObject(bucket: "lab", key: key) }
        #expect(throws: S3Error.self) {
            try root.store.linkObject(bucket: "lab", key: key, to: root.url.appendingPathComponent("staged/x"))
        }

        #expect(root.tree() == before)
        #expect(!FileManager.default.fileExists(atPath: "/abs"))
        #expect(try Data(contentsOf: source) == Data("payload".utf8))
        #expect(try root.store.listObjects(bucket: "lab").objects.isEmpty)
    }

    @Test func keysOverTheLimitAreKeyTooLong() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let before = root.tree()
        let longKey = String(repeating: "k", count: 1025)
        let error = #expect(throws: S3Error.self) { try root.store.putObject(bucket: "lab", key: longKey, data: Data()) }
        #expect(error?.code == "KeyTooLongError")
        #expect(error?.message == "Your key is too long")
        #expect(error?.httpStatus == 400)
        // 1,024 bytes is the limit in bytes, not characters: 512 two-byte characters pass, 513 do not.
        #expect(throws: S3Error.self) {
            try root.store.putObject(bucket: "lab", key: String(repeating: "é", count: 513), data: Data())
        }
        #expect(root.tree() == before)
        try root.store.putObject(bucket: "lab", key: String(repeating: "é", count: 512), data: Data("ok".utf8))
        try root.store.putObject(bucket: "lab", key: String(repeating: "k", count: 1024), data: Data("ok".utf8))
        #expect(try root.store.listObjects(bucket: "lab").objects.count == 2)
    }

    @Test func invalidUTF8IsRefusedNotRepaired() throws {
        let error = #expect(throws: S3Error.self) {
            try ObjectKeyRules.key(fromUTF8: [0x61, 0xFF, 0x62], bucket: "lab")
        }
        #expect(error?.code == "InvalidArgument")
        #expect(error?.message == "Object key is not valid UTF-8.")
        #expect(try ObjectKeyRules.key(fromUTF8: Array("raw/é.csv".utf8), bucket: "lab") == "raw/é.csv")
        #expect(throws: S3Error.self) { try ObjectKeyRules.key(fromUTF8: Array("../x".utf8), bucket: "lab") }
    }

    @Test func dotsThatAreNotParentSegmentsAreOrdinaryKeys() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        for key in ["..x", "x..", "a/...", "a/..b/c"] {
            try root.store.putObject(bucket: "lab", key: key, data: Data(key.utf8))
            let url = try root.store.getObject(bucket: "lab", key: key).url
            #expect(url.path == root.buckets.path + "/lab/" + key)
        }
    }
}
