import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Pipe, ManifestFile and Continuous through whole jobs")
struct InputOutputModeTests {
    private func gzip(_ data: Data) throws -> Data {
        let file = FileManager.default.temporaryDirectory.appending(path: "gz-\(UUID().uuidString)")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(filePath: "/bin/gzip")
        process.arguments = ["-n", file.path]
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: file.path + ".gz") }
        return try Data(contentsOf: URL(filePath: file.path + ".gz"))
    }

    @Test func aGzipPipeInputStreamsTheExactUncompressedBytesAndNoFolderIsStaged() throws {
        let fixture = try EngineFixture()
        var total = 0
        for index in 0..<5 {
            let body = Data(String(repeating: "row \(index)\n", count: 1000 * (index + 1)).utf8)
            total += body.count
            _ = try fixture.root.s3.putObject(bucket: "lab", key: "gz/part-\(index).gz", data: try gzip(body))
        }
        var input = fixture.input("data", uri: "s3://lab/gz/", localPath: "/opt/ml/processing/input/data")
        input.s3Input?.s3InputMode = "Pipe"
        input.s3Input?.s3CompressionType = "Gzip"
        let request = fixture.request("pipe", script: "cat /opt/ml/processing/input/data_0 | wc -c; test -d /opt/ml/processing/input/data && echo folder || echo no-folder",
                                      inputs: [input])
        #expect(try fixture.run(request).status == .completed)
        #expect(try fixture.logs("pipe").map { $0.trimmingCharacters(in: .whitespaces) } == ["\(total)", "no-folder"])
    }

    @Test func twoHundredMebibytesOfGzippedObjectsStreamThroughThePipeWithoutLandingOnTheVolume() throws {
        let fixture = try EngineFixture()
        // 50 objects of 4 MiB each once uncompressed: lines with varying numbers, so gzip has work to do.
        var total = 0
        for index in 0..<50 {
            var text = ""
            text.reserveCapacity(4 << 20)
            var line = 0
            while text.utf8.count < (4 << 20) - 64 { text += "object \(index) line \(line) value \(line &* 2654435761 % 1000003)\n"; line += 1 }
            let body = Data(text.utf8)
            total += body.count
            _ = try fixture.root.s3.putObject(bucket: "lab", key: String(format: "big/part-%02d.gz", index), data: try gzip(body))
        }
        #expect(total >= 195 << 20)
        var input = fixture.input("data", uri: "s3://lab/big/", localPath: "/opt/ml/processing/input/data")
        input.s3Input?.s3InputMode = "Pipe"
        input.s3Input?.s3CompressionType = "Gzip"
        let request = fixture.request("big-pipe", script: "cat /opt/ml/processing/input/data_0 | wc -c; du -sk /opt/ml | cut -f1", inputs: [input])
        #expect(try fixture.run(request).status == .completed)
        let lines = try fixture.logs("big-pipe").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "\(total)")
        #expect((Int(lines.last ?? "") ?? .max) < 4096)  // KiB on the job's volume at the end: config files only
    }

    @Test func aJobThatNeverOpensItsPipeStillCompletes() throws {
        let fixture = try EngineFixture()
        try fixture.put("raw/a", "a")
        var input = fixture.input("data", uri: "s3://lab/raw/", localPath: "/opt/ml/processing/input/data")
        input.s3Input?.s3InputMode = "Pipe"
        #expect(try fixture.run(fixture.request("ignores-pipe", script: "true", inputs: [input])).status == .completed)
    }

    @Test func aManifestStagesExactlyTheObjectsItNames() throws {
        let fixture = try EngineFixture()
        for name in ["a", "b", "c", "d", "e"] { try fixture.put("pool/\(name).csv", name) }
        try fixture.put("manifests/three.json", #"[{"prefix": "s3://lab/pool/"}, "a.csv", "c.csv", "e.csv"]"#)
        let input = fixture.input("data", uri: "s3://lab/manifests/three.json", localPath: "/opt/ml/processing/input", dataType: "ManifestFile")
        #expect(try fixture.run(fixture.request("manifest", script: "ls /opt/ml/processing/input", inputs: [input])).status == .completed)
        #expect(try fixture.logs("manifest") == ["a.csv", "c.csv", "e.csv"])

        try fixture.put("manifests/missing.json", #"[{"prefix": "s3://lab/pool/"}, "a.csv", "zzz.csv"]"#)
        let missing = fixture.input("data", uri: "s3://lab/manifests/missing.json", localPath: "/opt/ml/processing/input", dataType: "ManifestFile")
        let failed = try fixture.run(fixture.request("manifest-missing", script: "true", inputs: [missing]))
        #expect(failed.status == .failed)
        #expect(failed.failureReason?.contains("zzz.csv") == true)
    }

    @Test func continuousCheckpointsAreListableWhileTheJobRunsAndAfterAStop() throws {
        let fixture = try EngineFixture()
        var settings = fixture.runner.settings
        settings.stopGrace = 1
        let runner = JobRunner(root: fixture.root, settings: settings)
        var output = fixture.output("checkpoints", uri: "s3://lab/ckpt/", localPath: "/opt/ml/processing/ckpt")
        output.s3Output?.s3UploadMode = "Continuous"
        let script = "i=0; while true; do i=$((i+1)); echo step $i > /opt/ml/processing/ckpt/step-$i; sleep 0.3; done"
        _ = try fixture.service.createProcessingJob(fixture.request("continuous", script: script, outputs: [output]))
        let seenWhileRunning = LockedFlag()
        let watcher = Thread {
            for _ in 0..<50 {
                Thread.sleep(forTimeInterval: 0.1)
                let keys = (try? fixture.root.s3.allKeys(bucket: "lab", prefix: "ckpt/")) ?? []
                let status = (try? fixture.root.jobs.job(named: "continuous"))??.status
                if !keys.isEmpty && status == .inProgress { seenWhileRunning.set() }
                if keys.count >= 3 { break }
            }
            try? fixture.service.stopProcessingJob(StopProcessingJobRequest(processingJobName: "continuous"))
        }
        watcher.start()
        let job = try runner.run(jobNamed: "continuous")
        #expect(job.status == .stopped)
        #expect(seenWhileRunning.value)
        let keys = try fixture.root.s3.allKeys(bucket: "lab", prefix: "ckpt/")
        #expect(keys.count >= 3)
        #expect(try fixture.text("ckpt/step-1") == "step 1\n")
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}
