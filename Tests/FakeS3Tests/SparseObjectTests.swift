import FakeS3
import Foundation
import Testing

/// A sparse file put into the store keeps its holes there, and its ETag is the MD5 of every byte.
@Suite struct SparseObjectTests {
    @Test func aCopiedSparseFileKeepsItsHolesAndItsETagCountsTheirZeros() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let source = root.url.appendingPathComponent("sparse.bin")
        #expect(FileManager.default.createFile(atPath: source.path, contents: nil))
        let file = try FileHandle(forWritingTo: source)
        try file.write(contentsOf: Data("head".utf8))  // data, a hole, data, and a hole to the end
        try file.seek(toOffset: 40 << 20)
        try file.write(contentsOf: Data(repeating: 7, count: 3 << 20))
        try file.truncate(atOffset: 64 << 20)
        try file.close()

        let sparse = try root.store.putObject(bucket: "lab", key: "sparse", copyingFileAt: source)

        let stored = try root.store.getObject(bucket: "lab", key: "sparse").url
        #expect(sparse.size == 64 << 20)
        #expect(sparse.etag == (try md5sum(source)))
        #expect(try Data(contentsOf: stored) == Data(contentsOf: source))
        var info = stat()
        #expect(stat(stored.path, &info) == 0)
        #expect(Int(info.st_blocks) * 512 < 4 << 20, "the 3 MiB of data, not the 64 MiB: \(info.st_blocks * 512)")
    }
}
