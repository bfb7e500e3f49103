import Foundation
import Testing

@Suite("sagebox stop and Ctrl-C")
struct StopCommandTests {
    private func request(_ name: String) -> String {
        """
        {"ProcessingJobName": "\(name)", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
         "AppSpecification": {"ImageUri": "local/test", "ContainerEntrypoint": ["/bin/sh", "-c", "echo running; sleep 600"]},
         "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}}}
        """
    }

    private func status(_ sagebox: Sagebox, _ name: String) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(try sagebox("describe", name).stdout.utf8)) as? [String: Any]
        return json?["ProcessingJobStatus"] as? String ?? ""
    }

    @Test func stopReachesAJobRunByAnotherProcess() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("run", try sagebox.file("job.json", request("far-away")), "--stop-grace", "1").status == 0)
        var current = ""
        try waitUntilRunning(sagebox, "far-away")
        #expect(try sagebox("stop", "far-away").status == 0)
        #expect(try ["Stopping", "Stopped"].contains(status(sagebox, "far-away")))
        for _ in 0..<300 where current != "Stopped" {
            Thread.sleep(forTimeInterval: 0.1)
            current = try status(sagebox, "far-away")
        }
        #expect(current == "Stopped")
        let again = try sagebox("stop", "far-away")
        #expect(again.status != 0)
        #expect(again.stderr.contains("Stopped"))
    }

    @Test func ctrlCDuringRunWaitStopsTheJob() throws {
        let sagebox = try Sagebox()
        let process = Process()
        process.executableURL = Sagebox.binary
        process.arguments = ["--root", sagebox.root.path, "run", try sagebox.file("job.json", request("interrupted")), "--wait", "--stop-grace", "1"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        try waitUntilRunning(sagebox, "interrupted")  // the Ctrl-C handler is in place before the job starts
        process.interrupt()
        let output = String(decoding: (try? out.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(output.contains("interrupted: Stopped"))
    }
}

@Suite("A job whose runner is killed")
struct RunnerKilledTests {
    @Test func endsFailedWithTheRestartTextAtTheNextLookAndLeavesNothingRunning() throws {
        let sagebox = try Sagebox()
        let marker = "30.\(Int.random(in: 100_000...999_999))"
        let job = """
            {"ProcessingJobName": "orphaned", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
             "AppSpecification": {"ImageUri": "local/test", "ContainerEntrypoint": ["/bin/sh", "-c", "echo running; sleep \(marker)"]},
             "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}}}
            """
        #expect(try sagebox("run", try sagebox.file("job.json", job)).status == 0)
        try waitUntilRunning(sagebox, "orphaned")
        // The background runner is `sagebox run-job orphaned --root <root> …`: kill it as a crash would.
        let runner = try #require(runnerPid(root: sagebox.root.path))
        kill(runner, SIGKILL)
        Thread.sleep(forTimeInterval: 0.3)
        let described = try JSONSerialization.jsonObject(with: Data(try sagebox("describe", "orphaned").stdout.utf8)) as? [String: Any]
        #expect(described?["ProcessingJobStatus"] as? String == "Failed")
        #expect(described?["FailureReason"] as? String == "InternalServerError: sagebox restarted while the job was running")
        // What the dead runner held is released: the job's processes and its volume.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!commandLines().contains { $0.contains(marker) })
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        #expect(!mounts.contains(sagebox.root.path))
    }

    private func commandLines() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard Int(entry) != nil, let raw = try? Data(contentsOf: URL(filePath: "/proc/\(entry)/cmdline")) else { return nil }
            return String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        }
    }

    private func runnerPid(root: String) -> pid_t? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let raw = try? Data(contentsOf: URL(filePath: "/proc/\(entry)/cmdline")) else { continue }
            let argv = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if argv.contains("run-job") && argv.contains(root) { return pid }
        }
        return nil
    }
}

/// Waits (30 s at most, for a loaded machine) until the job has written its first log line.
func waitUntilRunning(_ sagebox: Sagebox, _ name: String) throws {
    for _ in 0..<300 {
        if try sagebox("logs", name).stdout.contains("running") { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("\(name) did not start within 30 s")
    throw CancellationError()
}
