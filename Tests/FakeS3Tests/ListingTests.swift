import FakeS3
import Foundation
import Testing

@Suite struct ListingTests {
    /// Keys in UTF-8 byte order: uppercase before lowercase, ASCII before any non-ASCII, and the
    /// decomposed "e\u{301}" (0x65 0xCC 0x81) far from the precomposed "é" (0xC3 0xA9).
    static let keysInByteOrder = [
        "B", "Z", "a", "data/2024/jan.csv", "data/2024/feb.csv", "data/README", "data/x", "dataset",
        "e\u{301}", "z", "~", "\u{E4}", "\u{E9}", "\u{65E5}\u{672C}",
    ].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

    static func filledRoot() throws -> TestRoot {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        for key in keysInByteOrder.shuffled() {
            try root.store.putObject(bucket: "lab", key: key, data: Data(key.utf8))
        }
        return root
    }

    @Test func everythingInUTF8ByteOrder() throws {
        let root = try Self.filledRoot()
        let listing = try root.store.listObjects(bucket: "lab")
        #expect(listing.objects.map(\.key) == Self.keysInByteOrder)
        #expect(Self.keysInByteOrder.prefix(3) == ["B", "Z", "a"])
        #expect(Self.keysInByteOrder.suffix(3) == ["\u{E4}", "\u{E9}", "\u{65E5}\u{672C}"])
        #expect(!listing.isTruncated)
        #expect(listing.nextMarker == nil)
        #expect(listing.commonPrefixes.isEmpty)
    }

    @Test func prefixAndDelimiter() throws {
        let root = try Self.filledRoot()
        let data = try root.store.listObjects(bucket: "lab", prefix: "data")
        #expect(data.objects.map(\.key) == ["data/2024/feb.csv", "data/2024/jan.csv", "data/README", "data/x", "dataset"])

        let top = try root.store.listObjects(bucket: "lab", prefix: "data/", delimiter: "/")
        #expect(top.commonPrefixes == ["data/2024/"])
        #expect(top.objects.map(\.key) == ["data/README", "data/x"])
        #expect(top.keyCount == 3)

        let root1 = try root.store.listObjects(bucket: "lab", delimiter: "/")
        #expect(root1.commonPrefixes == ["data/"])
        #expect(root1.objects.count == Self.keysInByteOrder.count - 4)

        let byLetter = try root.store.listObjects(bucket: "lab", prefix: "data", delimiter: "a")
        #expect(byLetter.commonPrefixes == ["data/2024/ja"])
        #expect(byLetter.objects.map(\.key) == ["data/2024/feb.csv", "data/README", "data/x", "dataset"])

        #expect(try root.store.listObjects(bucket: "lab", prefix: "nothing").objects.isEmpty)
        #expect(try root.store.listObjects(bucket: "lab", prefix: "e").objects.map(\.key) == ["e\u{301}"])
        #expect(try root.store.listObjects(bucket: "lab", prefix: "\u{E9}").objects.map(\.key) == ["\u{E9}"])
    }

    @Test func startAfterAndMaxKeysPageThroughEverything() throws {
        let root = try Self.filledRoot()
        let after = try root.store.listObjects(bucket: "lab", startAfter: "dataset")
        #expect(after.objects.map(\.key) == Array(Self.keysInByteOrder.drop { $0 != "dataset" }.dropFirst()))

        var seen: [String] = []
        var marker: String?
        var pages = 0
        repeat {
            let page = try root.store.listObjects(bucket: "lab", startAfter: marker, maxKeys: 3)
            #expect(page.objects.count <= 3)
            seen += page.objects.map(\.key)
            marker = page.nextMarker
            #expect(page.isTruncated == (marker != nil))
            pages += 1
        } while marker != nil
        #expect(seen == Self.keysInByteOrder)
        #expect(pages == (Self.keysInByteOrder.count + 2) / 3)

        let none = try root.store.listObjects(bucket: "lab", maxKeys: 0)
        #expect(none.objects.isEmpty && !none.isTruncated)
        let bad = #expect(throws: S3Error.self) { try root.store.listObjects(bucket: "lab", maxKeys: -1) }
        #expect(bad?.code == "InvalidArgument")
    }

    @Test func pagingWithADelimiterNeverRepeatsACommonPrefix() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        for key in ["a/1", "a/2", "a/3", "b", "c/1", "c/2", "d"] {
            try root.store.putObject(bucket: "lab", key: key, data: Data())
        }
        var entries: [String] = []
        var marker: String?
        repeat {
            let page = try root.store.listObjects(bucket: "lab", delimiter: "/", startAfter: marker, maxKeys: 1)
            #expect(page.keyCount == 1)
            entries += page.commonPrefixes + page.objects.map(\.key)
            marker = page.nextMarker
        } while marker != nil
        #expect(entries == ["a/", "b", "c/", "d"])
    }

    @Test func forEachObjectWalksEveryKeyUnderAPrefix() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let keys = (0..<1_234).map { String(format: "in/%05d", $0) }
        for key in keys { try root.store.putObject(bucket: "lab", key: key, data: Data()) }
        try root.store.putObject(bucket: "lab", key: "inx", data: Data())
        var walked: [String] = []
        try root.store.forEachObject(bucket: "lab", prefix: "in/") { walked.append($0.key) }
        #expect(walked == keys)
    }
}
