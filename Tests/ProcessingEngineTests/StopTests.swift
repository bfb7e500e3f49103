import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Stop, MaxRuntimeInSeconds and the grace period")
struct StopTests {
    /// A fixture whose runner waits `grace` seconds between SIGTERM and SIGKILL.
    private func fixture(grace: TimeInterval, uploadOnFailure: Bool = false) throws -> (EngineFixture, JobRunner) {
        let fixture = try EngineFixture()
        var settings = fixture.runner.settings
        settings.stopGrace = grace
        settings.uploadOnFailure = uploadOnFailure
        return (fixture, JobRunner(root: fixture.root, settings: settings))
    }

    /// Whether any process still has `marker` in its command line.
    private func processesRunning(_ marker: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { pid in
            guard Int(pid) != nil, let line = try? Data(contentsOf: URL(filePath: "/proc/\(pid)/cmdline")) else { return false }
            return String(decoding: line, as: UTF8.self).contains(marker)
        }
    }

    @Test func maxRuntimeStopsASleepingJobWithinTheGracePeriod() throws {
        let (fixture, runner) = try fixture(grace: 1)
        let marker = "600.\(Int.random(in: 100_000...999_999))"
        var request = fixture.request("sleeper", script: "sleep \(marker)")
        request.stoppingCondition = ProcessingStoppingCondition(maxRuntimeInSeconds: 2)
        _ = try fixture.service.createProcessingJob(request)
        let clock = ContinuousClock.now
        let job = try runner.run(jobNamed: "sleeper")
        #expect(job.status == .stopped)
        #expect(job.failureReason == nil)
        #expect(ContinuousClock.now - clock < .seconds(15))  // not the 600 s sleep (about 3 s on an idle machine)
        let transitions = try fixture.root.jobs.events(jobId: job.id!).compactMap(\.status)
        #expect(transitions == [.inProgress, .stopping, .stopped])
        #expect(!processesRunning(marker))
    }

    @Test func aJobThatTrapsSIGTERMAndExitsZeroStillEndsStoppedWithItsFileUploaded() throws {
        let (fixture, runner) = try fixture(grace: 5, uploadOnFailure: true)
        let script = "trap 'echo saved > /opt/ml/processing/out/checkpoint; exit 0' TERM; while true; do sleep 0.1; done"
        let request = fixture.request("trapper", script: script,
                                      outputs: [fixture.output("out", uri: "s3://lab/trapped/", localPath: "/opt/ml/processing/out")])
        _ = try fixture.service.createProcessingJob(request)
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 1)
            try? fixture.service.stopProcessingJob(StopProcessingJobRequest(processingJobName: "trapper"))
        }
        stopper.start()
        let job = try runner.run(jobNamed: "trapper")
        #expect(job.status == .stopped)
        #expect(try fixture.text("trapped/checkpoint") == "saved\n")
    }

    @Test func aJobThatIgnoresSIGTERMIsKilledAfterTheGraceAndLeavesNoChildren() throws {
        let (fixture, runner) = try fixture(grace: 1)
        let marker = "600.\(Int.random(in: 100_000...999_999))"  // a sleep duration no other process has
        // The child `sleep` ignores SIGTERM too (inherited), so only SIGKILL ends it.
        let script = "trap '' TERM; sleep \(marker) & wait"
        var request = fixture.request("ignorer", script: script)
        request.stoppingCondition = ProcessingStoppingCondition(maxRuntimeInSeconds: 1)
        _ = try fixture.service.createProcessingJob(request)
        let clock = ContinuousClock.now
        let job = try runner.run(jobNamed: "ignorer")
        #expect(job.status == .stopped)
        #expect(ContinuousClock.now - clock >= .seconds(2))
        #expect(!processesRunning(marker))
    }

    @Test func stoppingAJobThatIsNotInProgressIsAValidationException() throws {
        let (fixture, _) = try fixture(grace: 1)
        try fixture.run(fixture.request("done", script: "true"))
        let error = #expect(throws: AWSServiceError.self) {
            try fixture.service.stopProcessingJob(StopProcessingJobRequest(processingJobName: "done"))
        }
        #expect(error?.code == "ValidationException")
        #expect(error?.message.contains("Completed") == true)
    }

    @Test func aJobWhoseMainProcessExitsLeavesNoBackgroundChildren() throws {
        let fixture = try EngineFixture()
        let marker = "600.\(Int.random(in: 100_000...999_999))"
        let job = try fixture.run(fixture.request("orphans", script: "sleep \(marker) & echo started"))
        #expect(job.status == .completed)
        #expect(!processesRunning(marker))
    }

    @Test func oneFailingInstanceStopsTheOthersAndNothingIsUploaded() throws {
        let (fixture, runner) = try fixture(grace: 1)
        let script = """
            H=$(sed -n 's/.*"current_host" *: *"\\([^"]*\\)".*/\\1/p' /opt/ml/config/resourceconfig.json)
            echo $H > /opt/ml/processing/out/$H
            if [ "$H" = algo-3 ]; then exit 1; fi
            sleep 600
            """
        let request = fixture.request("one-fails", script: script,
                                      outputs: [fixture.output("out", uri: "s3://lab/hosts/", localPath: "/opt/ml/processing/out")],
                                      instanceCount: 4)
        _ = try fixture.service.createProcessingJob(request)
        let clock = ContinuousClock.now
        let job = try runner.run(jobNamed: "one-fails")
        #expect(job.status == .failed)
        #expect(job.failureReason == "AlgorithmError: See job logs for more information")
        #expect(ContinuousClock.now - clock < .seconds(30))  // the others were stopped, not waited for
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "hosts/") == [])
        let exits = try fixture.root.jobs.instances(jobId: job.id!)
        #expect(exits.first { $0.host == "algo-3" }?.exitCode == 1)
        #expect(exits.filter { $0.host != "algo-3" }.allSatisfy { $0.signal == Int(SIGTERM) }, "\(exits.map { ($0.host, $0.exitCode, $0.signal) })")
    }
}
