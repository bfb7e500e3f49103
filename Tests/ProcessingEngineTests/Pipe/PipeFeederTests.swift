import FakeS3
import Foundation
import ProcessingEngine
import Testing

@Suite("PipeFeeder: Pipe-mode inputs through a FIFO")
struct PipeFeederTests {
    @Test func fifoIsAtLocalPathUnderscoreZeroAndTheFolderIsNotCreated() throws {
        #expect(PipeFeeder.containerPath(forLocalPath: "/opt/ml/processing/input/data") == "/opt/ml/processing/input/data_0")
        #expect(PipeFeeder.containerPath(forLocalPath: "/opt/ml/processing/input/data/") == "/opt/ml/processing/input/data_0")
        let fixture = try PipeFixture()
        let feeder = fixture.feeder([try fixture.put("a", Data("x".utf8))])
        try feeder.start()
        var info = stat()
        #expect(lstat(fixture.fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(!FileManager.default.fileExists(atPath: fixture.fifo.deletingLastPathComponent().appending(path: "data").path))
        feeder.stop()
        #expect(!FileManager.default.fileExists(atPath: fixture.fifo.path))
    }

    @Test func streamsManyObjectsConcatenatedInOrderWithExactBytes() throws {
        let fixture = try PipeFixture()
        var expected = Data()
        var objects: [S3URI] = []
        for index in 0..<40 {
            let data = PipeFixture.bytes(index == 7 ? 0 : 1 + (index * 7919) % 300_000, seed: UInt8(index))
            objects.append(try fixture.put(String(format: "data/part-%03d", index), data))
            expected += data
        }
        let feeder = fixture.feeder(objects)
        try feeder.start()
        let reader = try ScriptProcess.run("cat '\(fixture.fifo.path)'")
        #expect(reader.status == 0)
        #expect(reader.output.count == expected.count)
        #expect(reader.output == expected)
        #expect(feeder.stop() == .delivered(bytes: Int64(expected.count)))
    }

    @Test func wcCountsTheExactBytes() throws {
        let fixture = try PipeFixture()
        let objects = try (0..<5).map { try fixture.put("p/\($0)", PipeFixture.bytes(1_000_003, seed: UInt8($0))) }
        let feeder = fixture.feeder(objects)
        try feeder.start()
        let reader = try ScriptProcess.run("cat '\(fixture.fifo.path)' | wc -c")
        #expect(String(decoding: reader.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "5000015")
        #expect(feeder.stop() == .delivered(bytes: 5_000_015))
    }

    @Test func gzipObjectsAreGunzippedAsTheyStream() throws {
        let fixture = try PipeFixture()
        var expected = Data()
        var objects: [S3URI] = []
        for index in 0..<6 {
            let data = PipeFixture.bytes(200_000 + index * 12_345, seed: UInt8(index))
            objects.append(try fixture.putGzipped("gz/\(index).gz", data))
            expected += data
        }
        // Two gzip members in one object decompress as one stream, as with gunzip.
        let first = PipeFixture.bytes(1000, seed: 90), second = PipeFixture.bytes(2000, seed: 91)
        let a = try fixture.putGzipped("tmp-a", first), b = try fixture.putGzipped("tmp-b", second)
        let members = try Data(contentsOf: fixture.root.s3.getObject(bucket: "lab", key: a.key).url)
            + Data(contentsOf: fixture.root.s3.getObject(bucket: "lab", key: b.key).url)
        objects.append(try fixture.put("gz/9-members.gz", members))
        expected += first + second
        let feeder = fixture.feeder(objects, gzip: true)
        try feeder.start()
        let reader = try ScriptProcess.run("cat '\(fixture.fifo.path)'")
        #expect(reader.output == expected)
        #expect(feeder.stop() == .delivered(bytes: Int64(expected.count)))
    }

    @Test func anObjectThatIsNotGzipFailsWithAClientError() throws {
        let fixture = try PipeFixture()
        let good = try fixture.putGzipped("gz/0.gz", Data("hello\n".utf8))
        let bad = try fixture.put("gz/1.gz", Data("plain text, not gzip".utf8))
        let feeder = fixture.feeder([good, bad], gzip: true)
        try feeder.start()
        let reader = try ScriptProcess.run("cat '\(fixture.fifo.path)'")
        #expect(reader.output == Data("hello\n".utf8))  // the reader sees end of file, not a hang
        let error = try #require(feeder.stop().error)
        #expect(error.kind == .decompress)
        #expect(error.object == bad)
        #expect(error.failureReason.hasPrefix("ClientError: Data download failed:Unable to decompress object s3://lab/gz/1.gz as gzip"))
    }

    @Test func aTruncatedGzipObjectFails() throws {
        let fixture = try PipeFixture()
        let whole = try fixture.putGzipped("whole.gz", PipeFixture.bytes(500_000, seed: 3))
        let bytes = try Data(contentsOf: fixture.root.s3.getObject(bucket: "lab", key: whole.key).url)
        let cut = try fixture.put("cut.gz", bytes.prefix(bytes.count / 2))
        let feeder = fixture.feeder([cut], gzip: true)
        try feeder.start()
        _ = try ScriptProcess.run("cat '\(fixture.fifo.path)' > /dev/null")
        #expect(feeder.stop().error?.kind == .decompress)
    }

    @Test func aMissingObjectIsAClientErrorBeforeAnythingStarts() throws {
        let fixture = try PipeFixture()
        let feeder = fixture.feeder([try fixture.put("here", Data("x".utf8)), S3URI(bucket: "lab", key: "gone")])
        let error = try #require(throws: PipeFeedError.self) { try feeder.start() }
        #expect(error.failureReason == "ClientError: Data download failed:Unable to download object s3://lab/gone (NoSuchKey: The specified key does not exist.)")
        #expect(!FileManager.default.fileExists(atPath: fixture.fifo.path))
    }
}
