import Foundation
import JobStore
import ProcessIdentity
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("How real jobs end: status, failure texts, exit message, timeline")
struct JobEndTests {
    @Test func aNonZeroExitFailsWithAWSsAlgorithmError() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("exit-three", script: "echo about to fail; exit 3"))
        #expect(job.status == .failed)
        #expect(job.failureReason == "AlgorithmError: See job logs for more information")
        #expect(try fixture.logs("exit-three") == ["about to fail"])
        let instance = try #require(try fixture.root.jobs.instances(jobId: job.id!).first)
        #expect(instance.exitCode == 3)
        #expect(instance.logStream.hasPrefix("exit-three/algo-1-"))
    }

    @Test func theExitMessageIsReportedOnCompletedJobsWithTimestampsInOrder() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("with-message", script: "printf 'CompletedWithViolations: 2' > /opt/ml/output/message"))
        #expect(job.status == .completed)
        #expect(job.exitMessage == "CompletedWithViolations: 2")
        #expect(job.failureReason == nil)
        let description = try fixture.service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: "with-message"))
        let created = try #require(description.creationTime), started = try #require(description.processingStartTime)
        let ended = try #require(description.processingEndTime), modified = try #require(description.lastModifiedTime)
        #expect(created <= started && started <= ended && ended <= modified)
        let transitions = try fixture.root.jobs.events(jobId: job.id!).compactMap(\.status)
        #expect(transitions == [.inProgress, .completed])
    }

    @Test func anExitMessageIsCutTo1024Bytes() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("long-message", script: "head -c 3000 /dev/zero | tr '\\0' x > /opt/ml/output/message; exit 1"))
        #expect(job.status == .failed)
        #expect(job.exitMessage?.utf8.count == 1024)
    }

    @Test func anExitMessageThatIsNotUTF8FailsTheJobWithAClientError() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("bad-message", script: "printf '\\377\\376' > /opt/ml/output/message"))
        #expect(job.status == .failed)
        #expect(job.failureReason?.hasPrefix("ClientError: ") == true)
    }

    @Test func aMissingEntrypointFailsAndSaysWhyInTheLogs() throws {
        let fixture = try EngineFixture()
        var request = fixture.request("no-such-program", script: "")
        request.appSpecification?.containerEntrypoint = ["no-such-program-anywhere"]
        let job = try fixture.run(request)
        #expect(job.status == .failed)
        #expect(job.failureReason == "AlgorithmError: See job logs for more information")
        #expect(try fixture.logs("no-such-program").contains { $0.contains("no-such-program-anywhere") })
    }

    @Test func argumentsReachTheEntrypointExactlyWithTheContractsEnvironment() throws {
        let fixture = try EngineFixture()
        var request = fixture.request("argv", script: "printf '%s|' \"$0\" \"$@\"; echo; pwd; echo \"$MY_SETTING $AWS_REGION\"")
        request.appSpecification?.containerArguments = ["two words", "", "$HOME", "'quoted'"]
        request.environment = ["MY_SETTING": "on"]
        try fixture.run(request)
        #expect(try fixture.logs("argv") == ["two words||$HOME|'quoted'|", "/", "on us-east-1"])
    }

    @Test func anInvalidRequestLeavesNoJobBehind() throws {
        let fixture = try EngineFixture()
        var request = fixture.request("bad_name", script: "true")
        #expect(throws: AWSServiceError.self) { try fixture.service.createProcessingJob(request) }
        request.processingJobName = "dup"
        _ = try fixture.service.createProcessingJob(request)
        let duplicate = #expect(throws: AWSServiceError.self) { try fixture.service.createProcessingJob(request) }
        #expect(duplicate?.code == "ResourceInUse")
        #expect(try fixture.root.jobs.job(named: "bad_name") == nil)
        let unknown = #expect(throws: AWSServiceError.self) {
            try fixture.service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: "nobody"))
        }
        #expect(unknown?.code == "ValidationException")
        #expect(unknown?.message == "Could not find requested job with name nobody")
    }

    /// Until a runner claims it, a job is its creator's: a creator that dies first (a server killed just
    /// after CreateProcessingJob) fails it at the next check, not after a grace period.
    @Test func aJobIsItsCreatorsUntilARunnerClaimsIt() throws {
        let fixture = try EngineFixture()
        _ = try fixture.service.createProcessingJob(fixture.request("created", script: "true"))
        let me = try #require(ProcessIdentity.current)
        let created = try #require(try fixture.root.jobs.job(named: "created"))
        #expect(created.runnerPid == me.pid && created.runnerStartTime == me.startTime)
        #expect(try fixture.service.failInterruptedJobs() == [])

        try fixture.service.handOver(jobNamed: "created", to: ProcessIdentity(pid: Int(Int32.max), startTime: 1))
        #expect(try fixture.service.failInterruptedJobs() == ["created"])
        let failed = try #require(try fixture.root.jobs.job(named: "created"))
        #expect(failed.status == .failed)
        #expect(failed.failureReason == "InternalServerError: sagebox restarted while the job was running")
    }
}
