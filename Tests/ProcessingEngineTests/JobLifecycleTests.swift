import Foundation
import JobStore
@testable import ProcessingEngine
import SageMakerAPI
import Testing

/// The rules of `JobLifecycle`, row by row of the spec's status tables (processing §3 and §7, training
/// §4), without processes: each test applies the lifecycle's transitions to a record as the store would.
@Suite("JobLifecycle: the status tables, in milliseconds")
struct JobLifecycleTests {
    /// A record as the store would hold it after `created`.
    func created(_ kind: JobKind) -> JobRecord {
        var job = JobRecord(kind: kind, name: "j", arn: "arn", request: "{}", creationTime: 1, lastModifiedTime: 1, folder: "j")
        JobLifecycle.created(kind).apply(to: &job, at: 1)
        return job
    }

    /// Applies `transition` as `JobStore.update` does, refusing a move the status table does not allow.
    func apply(_ transition: JobLifecycle.Transition?, to job: inout JobRecord, at time: Double = 2) throws {
        guard let transition else { return }
        let before = job.status
        transition.apply(to: &job, at: time)
        if job.status != before && !before.canMove(to: job.status) {
            throw JobStoreError.illegalMove(name: job.name, from: before, to: job.status)
        }
    }

    func ended(_ exits: [InstanceExit], kind: JobKind = .processing, stop: StopCause? = nil, memoryKilled: [Bool]? = nil,
               volumeFull: [Bool]? = nil, streamFailure: String? = nil, exitMessage: ExitMessage.Outcome = .none,
               failureFile: String? = nil, uploadOnFailure: Bool = false) -> JobLifecycle.Conclusion {
        let hosts = exits.indices.map { "algo-\($0 + 1)" }
        return JobLifecycle.instancesEnded(
            JobLifecycle.InstancesEnded(kind: kind, hosts: hosts, exits: exits, stop: stop,
                                        memoryKilled: memoryKilled ?? exits.map { _ in false }, volumeFull: volumeFull ?? exits.map { _ in false },
                                        streamFailure: streamFailure, exitMessage: exitMessage, failureFile: failureFile),
            uploadOnFailure: uploadOnFailure)
    }

    /// Ends `job` with `outcome` as the runner does, and returns it.
    func finished(_ job: JobRecord, _ outcome: JobLifecycle.Outcome) throws -> JobRecord {
        var job = job
        try apply(JobLifecycle.finished(job, outcome), to: &job, at: 9)
        return job
    }

    // MARK: Processing, spec §3

    @Test func createMakesAnInProgressJobWithoutSecondaryStatus() {
        let job = created(.processing)
        #expect(job.status == .inProgress && job.secondaryStatus == nil && job.startTime == nil)
    }

    @Test func everyInstanceExitingZeroCompletesAndUploadsTheEndOfJobOutputs() throws {
        let conclusion = ended([.exited(0), .exited(0)])
        #expect(conclusion.upload == .processingOutputs(endOfJob: true))
        let job = try finished(created(.processing), conclusion.outcome)
        #expect(job.status == .completed && job.failureReason == nil && job.endTime == 9)
    }

    @Test func aNonZeroExitFailsWithAlgorithmErrorAndUploadsNothingEndOfJob() throws {
        let conclusion = ended([.exited(0), .exited(3)], stop: .instanceFailed(host: "algo-2"))
        #expect(conclusion.upload == .processingOutputs(endOfJob: false))
        #expect(conclusion.outcome.event == "algo-2 failed: the other instances were stopped")
        let job = try finished(created(.processing), conclusion.outcome)
        #expect(job.status == .failed && job.failureReason == "AlgorithmError: See job logs for more information")
        #expect(ended([.exited(1)], uploadOnFailure: true).upload == .processingOutputs(endOfJob: true))
    }

    @Test func aStagingFailureFailsWithItsClientError() throws {
        let job = try finished(created(.processing), JobLifecycle.failedBeforeStart("ClientError: No S3 objects found"))
        #expect(job.status == .failed && job.failureReason == "ClientError: No S3 objects found")
    }

    @Test func aFailedUploadFailsACompletedJobOnly() {
        let completed = ended([.exited(0)]).outcome
        let failed = JobLifecycle.uploadFailed(completed, reason: "ClientError: upload")
        #expect(failed.status == .failed && failed.failureReason == "ClientError: upload")
        let stopped = JobLifecycle.uploadFailed(ended([.signaled(15)], stop: .requested).outcome, reason: "ClientError: upload")
        #expect(stopped.status == .stopped)
    }

    @Test func anExitMessageThatIsNotUTF8FailsWithAClientErrorUnlessStopped() {
        let outcome = ended([.exited(0)], exitMessage: .notUTF8(host: "algo-1")).outcome
        #expect(outcome.status == .failed)
        #expect(outcome.failureReason == "ClientError: The exit message file /opt/ml/output/message of algo-1 is not valid UTF-8.")
        #expect(ended([.exited(0)], stop: .requested, exitMessage: .notUTF8(host: "algo-1")).outcome.status == .stopped)
    }

    @Test func theExitMessageIsKeptInEveryTerminalStatus() {
        for (exits, stop) in [([InstanceExit.exited(0)], nil), ([.exited(2)], nil), ([.signaled(15)], StopCause.requested)] {
            #expect(ended(exits, stop: stop, exitMessage: .message("note")).outcome.exitMessage == "note")
        }
    }

    @Test func aSandboxThatCouldNotStartIsAnInternalError() {
        let outcome = ended([.launchFailed(code: 125, reason: "no user namespace")]).outcome
        #expect(outcome.failureReason == "InternalServerError: sagebox could not isolate the job: no user namespace")
    }

    @Test func theMemoryLimitAndAFullVolumeNameTheirCause() {
        let memory = ended([.signaled(9)], memoryKilled: [true]).outcome
        #expect(memory.status == .failed && memory.failureReason == FailureReason.memoryExceeded)
        let volume = ended([.exited(1)], volumeFull: [true]).outcome
        #expect(volume.failureReason == FailureReason.volumeFull)
        // A stop outranks both.
        #expect(ended([.signaled(9)], stop: .requested, memoryKilled: [true]).outcome.status == .stopped)
    }

    @Test func theHostDiskUnderTheFloorFailsEvenAnExitZero() {
        let outcome = ended([.exited(0)], stop: .hostDiskLow(floorBytes: 1 << 31), volumeFull: [true]).outcome
        #expect(outcome.status == .failed && outcome.failureReason == FailureReason.hostDiskLow(floorBytes: 1 << 31))
    }

    @Test func aFailedStreamFailsAJobThatWouldHaveCompleted() {
        #expect(ended([.exited(0)], streamFailure: "ClientError: pipe").outcome.failureReason == "ClientError: pipe")
        #expect(ended([.exited(4)], streamFailure: "ClientError: pipe").outcome.failureReason == FailureReason.algorithmError)
    }

    @Test func stopMovesAnInProgressJobToStoppingAndItEndsStopped() throws {
        var job = created(.processing)
        try apply(try JobLifecycle.stopRequested(job), to: &job)
        #expect(job.status == .stopping && job.stopRequested)
        // Whatever the instances did after the SIGTERM, a job asked to stop ends Stopped, without FailureReason.
        let job2 = try finished(job, ended([.exited(1)]).outcome)
        #expect(job2.status == .stopped && job2.failureReason == nil)
        #expect(try finished(job, ended([.signaled(15)], stop: .requested).outcome).status == .stopped)
    }

    @Test func maxRuntimeStopsAnInProgressJobAndLeavesAStoppingOneAlone() throws {
        var job = created(.processing)
        try apply(JobLifecycle.maxRuntimeReached(job, seconds: 5), to: &job)
        #expect(job.status == .stopping)
        #expect(JobLifecycle.maxRuntimeReached(job, seconds: 5) == nil)
        let outcome = ended([.signaled(15)], stop: .maxRuntime(seconds: 5)).outcome
        #expect(outcome.event == "Stopped: MaxRuntimeInSeconds (5 s) reached")
        #expect(try finished(job, outcome).status == .stopped)
    }

    @Test func aStopBeforeTheInstancesStartedEndsStopped() throws {
        var job = created(.processing)
        try apply(try JobLifecycle.stopRequested(job), to: &job)
        #expect(try finished(job, JobLifecycle.stoppedBeforeStart).status == .stopped)
    }

    @Test func aTerminalJobCannotBeStoppedOrMovedAgain() throws {
        for status in [JobStatus.completed, .failed, .stopped] {
            var job = created(.processing)
            job.status = status
            #expect(throws: JobLifecycle.StopRefusal.notInProgress(status)) { try JobLifecycle.stopRequested(job) }
            #expect(JobLifecycle.finished(job, ended([.exited(0)]).outcome) == nil)
            #expect(JobLifecycle.maxRuntimeReached(job, seconds: 1) == nil)
            for next in JobStatus.allCases { #expect(!status.canMove(to: next)) }
        }
        var stopping = created(.processing)
        stopping.status = .stopping
        #expect(throws: JobLifecycle.StopRefusal.notInProgress(.stopping)) { try JobLifecycle.stopRequested(stopping) }
    }

    @Test func aLostRunnerFailsTheJobWithItsReason() throws {
        var job = created(.training)
        try apply(JobLifecycle.runnerLost(job, reason: "InternalServerError: sagebox restarted"), to: &job, at: 4)
        #expect(job.status == .failed && job.secondaryStatus == .failed && job.endTime == 4)
        #expect(job.failureReason == "InternalServerError: sagebox restarted")
    }

    @Test func theStatusTableAllowsExactlyTheseMoves() {
        let allowed: Set<String> = ["InProgress>Stopping", "InProgress>Completed", "InProgress>Failed", "InProgress>Stopped",
                                    "Stopping>Stopped", "Stopping>Failed"]
        for from in JobStatus.allCases {
            for to in JobStatus.allCases where from != to {
                #expect(from.canMove(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) > \(to)")
            }
        }
        // Every stored status is one botocore's ProcessingJobStatus and TrainingJobStatus both name.
        for status in JobStatus.allCases {
            #expect(ProcessingJobStatus(rawValue: status.rawValue) != nil && TrainingJobStatus(rawValue: status.rawValue) != nil)
        }
    }

    // MARK: Training, spec §4

    @Test func aTrainingJobWalksItsSecondaryStatusesToCompleted() throws {
        var job = created(.training)
        var seen = [job.secondaryStatus]
        var messages: [String] = [JobLifecycle.created(.training).event]
        for transition in [JobLifecycle.preparing(.training), JobLifecycle.downloading(.training),
                           JobLifecycle.launched(.training, argv: ["train"]), JobLifecycle.uploading(.training)] {
            try apply(transition, to: &job, at: 3)
            seen.append(job.secondaryStatus)
            messages.append(transition.event)
        }
        let conclusion = ended([.exited(0)], kind: .training)
        #expect(conclusion.upload == .trainingArtifacts)
        job = try finished(job, conclusion.outcome)
        seen.append(job.secondaryStatus)
        messages.append(conclusion.outcome.event)
        #expect(seen == [.starting, .starting, .downloading, .training, .uploading, .completed])
        #expect(messages == ["Starting the training job", "Preparing the instances for training", "Downloading input data",
                             "Training image download completed. Training in progress.", "Uploading generated training model",
                             "Training job completed"])
        #expect(job.status == .completed && job.startTime == 3)
    }

    @Test func aFailedTrainingJobReportsItsFailureFileOrItsExitCodeAndUploadsNothing() throws {
        let withFile = ended([.exited(1)], kind: .training, failureFile: "framework error: \nTraceback ...")
        #expect(withFile.outcome.failureReason == "AlgorithmError: framework error: \nTraceback ...")
        #expect(withFile.upload == .nothing)
        #expect(ended([.exited(2)], kind: .training).outcome.failureReason == "AlgorithmError: , exit code: 2")
        #expect(ended([.signaled(9)], kind: .training).outcome.failureReason == "AlgorithmError: , exit code: 137")
        let job = try finished(created(.training), withFile.outcome)
        #expect(job.status == .failed && job.secondaryStatus == .failed)
        // The last transition says what AWS says; why it failed goes on the timeline just before.
        #expect(JobLifecycle.finished(created(.training), withFile.outcome)?.event == "Training job failed")
        #expect(JobLifecycle.detail(created(.training), withFile.outcome) == "An instance exited non-zero")
        #expect(JobLifecycle.detail(created(.processing), ended([.exited(1)]).outcome) == nil)
    }

    @Test func maxRuntimeEndsATrainingJobStoppedWithMaxRuntimeExceededAndItsModelUploaded() throws {
        var job = created(.training)
        try apply(JobLifecycle.maxRuntimeReached(job, seconds: 5), to: &job)
        #expect(job.status == .stopping && job.secondaryStatus == .stopping)
        let conclusion = ended([.signaled(15)], kind: .training, stop: .maxRuntime(seconds: 5))
        #expect(conclusion.upload == .trainingArtifacts)
        job = try finished(job, conclusion.outcome)
        #expect(job.status == .stopped && job.secondaryStatus == .maxRuntimeExceeded)
        #expect(conclusion.outcome.event == "Training job runtime exceeded MaxRuntimeInSeconds provided")
    }

    @Test func aStoppedTrainingJobEndsStoppedWithItsModelUploaded() throws {
        var job = created(.training)
        try apply(try JobLifecycle.stopRequested(job), to: &job)
        #expect(job.secondaryStatus == .stopping)
        let conclusion = ended([.exited(0)], kind: .training, stop: .requested)
        #expect(conclusion.upload == .trainingArtifacts)
        job = try finished(job, conclusion.outcome)
        #expect(job.status == .stopped && job.secondaryStatus == .stopped)
        // A stop that raced a failure still ends Stopped.
        var racing = created(.training)
        try apply(try JobLifecycle.stopRequested(racing), to: &racing)
        #expect(try finished(racing, ended([.exited(1)], kind: .training).outcome).secondaryStatus == .stopped)
    }
}
