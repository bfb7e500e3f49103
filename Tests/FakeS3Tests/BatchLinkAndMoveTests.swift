import FakeS3
import Foundation
import Testing

/// `linkObjects` and `putObjects`: the batch forms staging and EndOfJob uploads use.
@Suite struct BatchLinkAndMoveTests {
    @Test func linkObjectsHardLinksEveryObjectAndMakesTheirFolders() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let keys = (0..<1_500).map { "in/part-\($0 % 3)/f\($0)" }  // more than one lookup page
        for key in keys { try root.store.putObject(bucket: "lab", key: key, data: Data(key.utf8)) }
        let staged = root.url.appendingPathComponent("staging")
        let destinations = keys.map { staged.appendingPathComponent(String($0.dropFirst(3))) }

        try root.store.linkObjects(bucket: "lab", keys: keys, to: destinations)
        for (key, destination) in zip(keys, destinations) {
            let stored = try root.store.getObject(bucket: "lab", key: key).url
            #expect(FileFacts(destination)?.inode == FileFacts(stored)?.inode)
            #expect(try Data(contentsOf: destination) == Data(key.utf8))
        }
    }

    @Test func linkObjectsStopsAtAMissingKeyWithItsIndex() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "a", data: Data("a".utf8))
        try root.store.putObject(bucket: "lab", key: "c", data: Data("c".utf8))
        let destinations = ["a", "b", "c"].map { root.url.appendingPathComponent("staged/\($0)") }
        do {
            try root.store.linkObjects(bucket: "lab", keys: ["a", "b", "c"], to: destinations)
            Issue.record("a missing key must fail")
        } catch {
            #expect(error.index == 1)
            #expect(error.error as? S3Error == S3Error.noSuchKey(bucket: "lab", key: "b"))
        }
        #expect(FileFacts.exists(destinations[0]))
        #expect(!FileFacts.exists(destinations[2]))
    }

    @Test func putObjectsPublishesEveryFileWithItsMD5AndConsumesTheSources() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        // More files than one publishing batch, copied from another file system where there is one.
        let other = URL(fileURLWithPath: "/dev/shm/fakes3-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: other) }
        var sources: [URL] = [], keys: [String] = [], sums: [String] = []
        for index in 0..<150 {
            let source = other.appendingPathComponent("out/d\(index % 4)/f\(index)")
            try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((0..<(index * 997)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }).write(to: source)
            sources.append(source)
            keys.append("results/d\(index % 4)/f\(index)")
            sums.append(try md5sum(source))
        }
        try root.store.putObjects(bucket: "lab", keys: keys, movingFilesAt: sources, workers: 2)

        for (index, key) in keys.enumerated() {
            let object = try root.store.headObject(bucket: "lab", key: key)
            #expect(object.etag == sums[index])
            #expect(object.size == Int64(index * 997))
            #expect(try md5sum(root.store.getObject(bucket: "lab", key: key).url) == sums[index])
            #expect(!FileFacts.exists(sources[index]))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func putObjectsStopsAtASymbolicLinkLeavingTheRestUntouched() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let first = try root.makeFile("output/a", Data("a".utf8))
        let link = first.deletingLastPathComponent().appendingPathComponent("b")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: first)
        let third = try root.makeFile("output/c", Data("c".utf8))
        do {
            try root.store.putObjects(bucket: "lab", keys: ["a", "b", "c"], movingFilesAt: [first, link, third], workers: 2)
            Issue.record("a symbolic link must be refused")
        } catch {
            #expect(error.index == 1)
            #expect((error.error as? S3Error)?.code == "InvalidArgument")
        }
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.key) == ["a"])
        #expect(!FileFacts.exists(first))
        #expect(FileFacts.exists(link) && FileFacts.exists(third))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }
}
