import FakeS3
import Foundation
import Testing

@Suite struct LayoutTests {
    @Test func fileAndFolderKeysCoexist() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "a", data: Data("file a".utf8))
        try root.store.putObject(bucket: "lab", key: "a/b", data: Data("file a/b".utf8))
        try root.store.putObject(bucket: "lab", key: "a/", data: Data("marker".utf8))
        try root.store.putObject(bucket: "lab", key: "c/d", data: Data("file c/d".utf8))
        try root.store.putObject(bucket: "lab", key: "c", data: Data("file c".utf8))

        for (key, text) in [("a", "file a"), ("a/b", "file a/b"), ("a/", "marker"), ("c/d", "file c/d"), ("c", "file c")] {
            let url = try root.store.getObject(bucket: "lab", key: key).url
            #expect(try String(contentsOf: url, encoding: .utf8) == text, "key \(key)")
        }
        let bucket = root.buckets.appendingPathComponent("lab")
        // The first of a pair takes the natural path; the one that cannot goes to the side area.
        #expect(try root.store.getObject(bucket: "lab", key: "a").url == bucket.appendingPathComponent("a"))
        #expect(try root.store.getObject(bucket: "lab", key: "c/d").url.path == bucket.path + "/c/d")
        #expect(try root.store.getObject(bucket: "lab", key: "a/b").url.path.contains("/.sagebox/objects/"))
        #expect(try root.store.getObject(bucket: "lab", key: "a/").url.path.contains("/.sagebox/objects/"))
        #expect(try root.store.getObject(bucket: "lab", key: "c").url.path.contains("/.sagebox/objects/"))
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.key) == ["a", "a/", "a/b", "c", "c/d"])
    }

    @Test(arguments: ["x//y", "./x", "x/./y", ".sagebox/objects/z", String(repeating: "s", count: 256) + "/x"])
    func keysThatCannotBePathsGoToTheSideArea(key: String) throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: key, data: Data(key.utf8))
        let url = try root.store.getObject(bucket: "lab", key: key).url
        #expect(url.deletingLastPathComponent().path == root.buckets.path + "/lab/.sagebox/objects")
        #expect(try Data(contentsOf: url) == Data(key.utf8))
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.key) == [key])
    }

    @Test func overwriteMovesDataToTheNaturalPathOnceFree() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "a/b", data: Data("inner".utf8))
        try root.store.putObject(bucket: "lab", key: "a", data: Data("v1".utf8))
        let sideFile = try root.store.getObject(bucket: "lab", key: "a").url
        #expect(sideFile.path.contains("/.sagebox/objects/"))

        try root.store.deleteObject(bucket: "lab", key: "a/b")
        #expect(!FileFacts.exists(root.buckets.appendingPathComponent("lab/a")))  // emptied folder removed
        try root.store.putObject(bucket: "lab", key: "a", data: Data("v2".utf8))
        let natural = try root.store.getObject(bucket: "lab", key: "a").url
        #expect(natural.path == root.buckets.path + "/lab/a")
        #expect(try String(contentsOf: natural, encoding: .utf8) == "v2")
        #expect(!FileFacts.exists(sideFile))
    }

    @Test func unicodeKeysAreFilesWithTheirOwnNames() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let decomposed = "caf\u{65}\u{301}/x"   // e + combining acute
        let precomposed = "caf\u{E9}/x"          // é: equal as Swift Strings, different bytes
        try root.store.putObject(bucket: "lab", key: decomposed, data: Data("decomposed".utf8))
        try root.store.putObject(bucket: "lab", key: precomposed, data: Data("precomposed".utf8))
        #expect(try String(contentsOf: root.store.getObject(bucket: "lab", key: decomposed).url, encoding: .utf8)
            == "decomposed")
        #expect(try String(contentsOf: root.store.getObject(bucket: "lab", key: precomposed).url, encoding: .utf8)
            == "precomposed")
        #expect(try root.store.listObjects(bucket: "lab").objects.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.buckets.path + "/lab").count == 2)
    }
}
