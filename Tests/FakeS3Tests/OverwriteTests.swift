import FakeS3
import Foundation
import Testing

@Suite struct OverwriteTests {
    @Test func readerHoldingTheOldFileKeepsTheOldBytes() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "k", data: Data("old bytes".utf8))
        let reader = try FileHandle(forReadingFrom: root.store.getObject(bucket: "lab", key: "k").url)
        defer { try? reader.close() }

        let new = try root.store.putObject(bucket: "lab", key: "k", data: Data("new bytes, longer".utf8))
        #expect(try reader.readToEnd() == Data("old bytes".utf8))
        let file = try root.store.getObject(bucket: "lab", key: "k")
        #expect(try Data(contentsOf: file.url) == Data("new bytes, longer".utf8))
        #expect(file.object == new)
        #expect(new.size == 17)
        #expect(try root.store.listObjects(bucket: "lab").objects == [new])
    }

    @Test func failedPublishLeavesTheOldObject() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let old = try root.store.putObject(bucket: "lab", key: "k", data: Data("old".utf8))
        // A source that is not a regular file fails the put before anything is published.
        #expect(throws: S3Error.self) {
            try root.store.putObject(bucket: "lab", key: "k", movingFileAt: root.tmp)
        }
        #expect(try root.store.headObject(bucket: "lab", key: "k") == old)
        #expect(try Data(contentsOf: root.store.getObject(bucket: "lab", key: "k").url) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path).isEmpty)
    }

    @Test func concurrentReadersNeverSeeAMixOfVersions() async throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let size = 1 << 18
        try root.store.putObject(bucket: "lab", key: "k", data: Data(repeating: 0, count: size))
        let store = root.store
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for version in 1...40 {
                    try store.putObject(bucket: "lab", key: "k", data: Data(repeating: UInt8(version), count: size))
                }
                return 0
            }
            for _ in 0..<2 {
                group.addTask {
                    var torn = 0
                    for _ in 0..<80 {
                        let bytes = try Data(contentsOf: store.getObject(bucket: "lab", key: "k").url)
                        if bytes.count != size || Set(bytes).count != 1 { torn += 1 }
                    }
                    return torn
                }
            }
            var torn = 0
            for try await count in group { torn += count }
            #expect(torn == 0)
        }
        #expect(try Data(contentsOf: root.store.getObject(bucket: "lab", key: "k").url) == Data(repeating: 40, count: size))
    }
}
