import FakeS3
import Foundation
import ProcessingEngine
import Testing

@Suite("ContinuousUploader: outputs uploaded while the job runs")
struct ContinuousUploaderTests {
    @Test func eachClosedFileIsVisibleWithinOneSecond() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader()
        let log = fixture.outside.appending(path: "closed-at")
        // The time is taken before the file is opened, so the measured latency can only be too long.
        let writer = try ScriptProcess.run("""
            for i in 0 1 2 3 4 5 6 7 8 9; do
              t=$(date +%s.%N); printf 'checkpoint %s\\n' $i > '\(fixture.folder.path)/ckpt-'$i; echo "$i $t" >> '\(log.path)'
              sleep 0.2
            done
            """)
        #expect(writer.status == 0)
        usleep(1_000_000)
        var latencies: [Double] = []
        for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            let closed = try #require(Double(parts[1]))
            let object = try fixture.root.s3.headObject(bucket: "lab", key: "run/checkpoints/ckpt-\(parts[0])")
            latencies.append(object.lastModified.timeIntervalSince1970 - closed)
            #expect(fixture.object("ckpt-\(parts[0])") == Data("checkpoint \(parts[0])\n".utf8))
        }
        #expect(latencies.count == 10)
        let sorted = latencies.sorted()
        print("ContinuousUploader close-to-visible latency (s): p50 \(sorted[sorted.count / 2]) max \(sorted.last!) all \(latencies)")
        #expect(sorted.last! < 1.0)  // p99 of ten samples is the largest
        let report = uploader.finish()
        #expect(report.errors.isEmpty)
        #expect(report.watching == .inotify)
        #expect(report.uploads == 10)  // the final sweep found nothing new
    }

    @Test func aRewrittenFileIsUploadedAgain() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader()
        #expect(try ScriptProcess.run("printf 'epoch 1' > '\(fixture.folder.path)/model.ckpt'").status == 0)
        #expect(fixture.waitFor("model.ckpt", Data("epoch 1".utf8)))
        #expect(try ScriptProcess.run("printf 'epoch 2, longer' > '\(fixture.folder.path)/model.ckpt'").status == 0)
        #expect(fixture.waitFor("model.ckpt", Data("epoch 2, longer".utf8)))
        // Written elsewhere and renamed in, as careful writers do.
        #expect(try ScriptProcess.run("printf 'epoch 3' > '\(fixture.folder.path)/.tmp' && mv '\(fixture.folder.path)/.tmp' '\(fixture.folder.path)/model.ckpt'").status == 0)
        #expect(fixture.waitFor("model.ckpt", Data("epoch 3".utf8)))
        #expect(FileManager.default.fileExists(atPath: fixture.folder.appending(path: "model.ckpt").path))  // the job's file stays
        #expect(uploader.finish().errors.isEmpty)
    }

    @Test func filesInFoldersCreatedAfterStartAreUploaded() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader()
        // The file is written right after mkdir, possibly before the new folder's watch exists.
        #expect(try ScriptProcess.run("mkdir -p '\(fixture.folder.path)/a/b/c' && printf deep > '\(fixture.folder.path)/a/b/c/f.txt'").status == 0)
        #expect(fixture.waitFor("a/b/c/f.txt", Data("deep".utf8)))
        #expect(try ScriptProcess.run("sleep 0.2; printf later > '\(fixture.folder.path)/a/b/g.txt'").status == 0)
        #expect(fixture.waitFor("a/b/g.txt", Data("later".utf8)))
        // A folder built elsewhere and moved in whole.
        #expect(try ScriptProcess.run("mkdir '\(fixture.outside.path)/moved' && printf m > '\(fixture.outside.path)/moved/m.txt' && mv '\(fixture.outside.path)/moved' '\(fixture.folder.path)/moved'").status == 0)
        #expect(fixture.waitFor("moved/m.txt", Data("m".utf8)))
        #expect(uploader.finish().errors.isEmpty)
    }

    @Test func symbolicLinksAreNotFollowed() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader()
        try Data("secret".utf8).write(to: fixture.outside.appending(path: "secret"))
        try FileManager.default.createSymbolicLink(at: fixture.folder.appending(path: "link"), withDestinationURL: fixture.outside.appending(path: "secret"))
        try FileManager.default.createSymbolicLink(at: fixture.folder.appending(path: "linked-folder"), withDestinationURL: fixture.outside)
        #expect(try ScriptProcess.run("printf real > '\(fixture.folder.path)/real.txt'").status == 0)
        #expect(fixture.waitFor("real.txt", Data("real".utf8)))
        let report = uploader.finish()
        #expect(fixture.keys == ["run/checkpoints/real.txt"])
        #expect(report.errors.isEmpty)
    }

    @Test func finishUploadsAFileThatWasNeverClosed() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader()
        let path = fixture.folder.appending(path: "still-open.bin").path
        // A writer of its own (this process forks for other tests, and each fork's exec closes a copy
        // of any descriptor it holds): it writes, flushes and keeps the file open.
        let writer = try ScriptProcess("exec python3 -c \"import time; f = open('\(path)', 'wb'); f.write(bytes(range(256)) * 1000); f.flush(); time.sleep(30)\"")
        defer { kill(writer.process.processIdentifier, SIGKILL); _ = writer.finish() }
        let deadline = Date().addingTimeInterval(5)
        while (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) != 256_000, Date() < deadline { usleep(20_000) }
        usleep(1_200_000)
        #expect(fixture.object("still-open.bin") == nil)  // no close yet, so no upload yet
        let report = uploader.finish()
        #expect(writer.process.isRunning)
        #expect(fixture.object("still-open.bin") == Data((0..<256_000).map { UInt8($0 % 256) }))
        #expect(report.uploads == 1)
        #expect(report.errors.isEmpty)
    }

    @Test func uploadErrorsAreReportedNotThrown() throws {
        let fixture = try ContinuousFixture()
        let uploader = ContinuousUploader(folder: fixture.output, destination: S3URI(bucket: "no-such-bucket", key: "out"), s3: fixture.root.s3)
        try uploader.start()
        #expect(try ScriptProcess.run("printf x > '\(fixture.folder.path)/x.txt'").status == 0)
        usleep(300_000)
        let report = uploader.finish()
        #expect(report.uploads == 0)
        #expect(report.errors.map(\.relativePath) == ["x.txt"])
        #expect(report.errors.first?.failureReason == "ClientError: Failed to upload output file x.txt to s3://no-such-bucket/out/x.txt: NoSuchBucket: The specified bucket does not exist")
    }
}
