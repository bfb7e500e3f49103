import FakeS3
import Foundation
import ProcessingEngine
import Testing

@Suite("PipeFeeder: jobs that close early, never open, or stop reading")
struct PipeFeederEndingTests {
    @Test func aReaderThatReadsTenBytesAndClosesEndsTheFeedWithoutError() throws {
        let fixture = try PipeFixture()
        let objects = try (0..<8).map { try fixture.put("big/\($0)", PipeFixture.bytes(1_000_000, seed: UInt8($0))) }
        let feeder = fixture.feeder(objects)
        try feeder.start()
        // SIGPIPE keeps its default action (death) in this process, so surviving proves the feeder's shield.
        var disposition = sigaction()
        sigaction(SIGPIPE, nil, &disposition)
        #expect(unsafeBitCast(disposition.__sigaction_handler.sa_handler, to: Int.self) == 0)
        let reader = try ScriptProcess.run("head -c 10 '\(fixture.fifo.path)'")
        #expect(reader.output == PipeFixture.bytes(10, seed: 0))
        // The feeder saw EPIPE (SIGPIPE did not kill this process) and ended on its own.
        let outcome = try #require(feeder.waitUntilFinished(seconds: 5))
        guard case let .readerClosed(bytes) = outcome else { Issue.record("outcome \(outcome)"); return }
        #expect(bytes >= 10 && bytes < 8_000_000)
        #expect(feeder.stop() == outcome)
    }

    @Test func aJobThatNeverOpensThePipeDoesNotHoldUpTheEnd() throws {
        let fixture = try PipeFixture()
        let feeder = fixture.feeder([try fixture.put("x", PipeFixture.bytes(100_000, seed: 1))])
        try feeder.start()
        #expect(feeder.waitUntilFinished(seconds: 0.3) == nil)  // still waiting for a reader
        let clock = ContinuousClock()
        let outcome = clock.measure { #expect(feeder.stop() == .neverOpened) }
        #expect(outcome < .milliseconds(500))
        #expect(!FileManager.default.fileExists(atPath: fixture.fifo.path))
    }

    @Test func aJobThatHoldsThePipeOpenWithoutReadingCanBeStopped() throws {
        let fixture = try PipeFixture()
        let feeder = fixture.feeder([try fixture.put("x", PipeFixture.bytes(4_000_000, seed: 2))])
        try feeder.start()
        let holder = try ScriptProcess("exec 3< '\(fixture.fifo.path)'; exec sleep 3")
        defer { kill(holder.process.processIdentifier, SIGKILL); _ = holder.finish() }
        #expect(feeder.waitUntilFinished(seconds: 0.5) == nil)  // blocked on a full pipe
        let clock = ContinuousClock()
        var outcome = PipeFeedOutcome.neverOpened
        let took = clock.measure { outcome = feeder.stop() }
        #expect(took < .milliseconds(500))
        guard case let .stopped(bytes) = outcome else { Issue.record("outcome \(outcome)"); return }
        #expect(bytes > 0 && bytes < 4_000_000)
    }

    @Test func twoHundredMebibytesOfGzipStreamWithSmallMemoryAndNothingOnTheVolume() throws {
        let fixture = try PipeFixture()
        // 50 gzip objects of 4 MiB each once gunzipped (compressible text, so gzip is quick to make).
        let line = Data("sagebox pipe mode streams objects without staging them on the volume 0123456789\n".utf8)
        var plain = Data()
        while plain.count < 4 * 1024 * 1024 { plain += line }
        plain = plain.prefix(4 * 1024 * 1024)
        let gzipped = try fixture.putGzipped("big/template.gz", plain)
        let bytes = try Data(contentsOf: fixture.root.s3.getObject(bucket: "lab", key: gzipped.key).url)
        let objects = try (0..<50).map { try fixture.put(String(format: "big/%02d.gz", $0), bytes) }
        let feeder = fixture.feeder(objects, gzip: true)
        let before = Self.residentBytes()
        try feeder.start()
        let reader = try ScriptProcess("cat '\(fixture.fifo.path)' | wc -c")
        var peak = before
        var volumePeak: Int64 = 0
        while reader.process.isRunning {
            peak = max(peak, Self.residentBytes())
            volumePeak = max(volumePeak, Self.bytesOnDisk(fixture.optML))
            usleep(20_000)
        }
        let result = reader.finish()
        #expect(String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "\(50 * 4 * 1024 * 1024)")
        #expect(feeder.stop() == .delivered(bytes: 50 * 4 * 1024 * 1024))
        print("PipeFeeder 200 MiB gzip stream: resident growth \(peak - before) bytes, opt-ml peak \(volumePeak) bytes")
        // Other tests run alongside and allocate too; the feed itself holds a few 256 KiB buffers.
        #expect(peak - before < 64 * 1024 * 1024, "resident grew by \(peak - before) bytes")
        #expect(volumePeak < 1024 * 1024, "opt-ml held \(volumePeak) bytes")
    }

    /// VmRSS of this process.
    static func residentBytes() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int64(line.split(separator: " ")[1]) ?? 0) * 1024
    }

    /// Blocks allocated under `folder` (what `du` counts).
    static func bytesOnDisk(_ folder: URL) -> Int64 {
        var total: Int64 = 0
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let relative = walker?.nextObject() as? String {
            var info = stat()
            if lstat(folder.appending(path: relative).path, &info) == 0 { total += Int64(info.st_blocks) * 512 }
        }
        return total
    }
}
