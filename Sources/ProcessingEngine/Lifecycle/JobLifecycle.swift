import JobStore
import SageMakerAPI

/// The one place where a job's status changes: the rules of the spec's status tables (processing §3,
/// training §4), for every job kind. Each event returns the transition to apply to the job's record (in
/// one `JobStore.update`) and what the runner must do; only the runner and the services carry that out
/// (signal, upload, write). Pure: no processes, no files, so `JobLifecycleRuleTests` walk the tables in
/// milliseconds. Modelled on Hummingbird's `HTTP2ServerConnectionManager+StateMachine`.
public enum JobLifecycle {
    /// A change to a job's record and the timeline entry that explains it. For a training job whose
    /// SecondaryStatus moves, `event` is also the new SecondaryStatusTransition's StatusMessage, so it is
    /// AWS's own text.
    public struct Transition: Equatable, Sendable {
        public var status: JobStatus?
        public var secondaryStatus: SecondaryStatus?
        public var failureReason: String?
        public var exitMessage: String?
        /// A training job's FinalMetricDataList (JSON), set when it ends.
        public var finalMetrics: String?
        public var stopRequested = false
        public var startsInstances = false
        public var ends = false
        public var event: String

        /// Applies the transition to `job` at `time` (the store then checks the move and records it).
        public func apply(to job: inout JobRecord, at time: Double) {
            if let status { job.status = status }
            if job.kind == .training, let secondaryStatus { job.secondaryStatus = secondaryStatus }
            if stopRequested { job.stopRequested = true }
            if startsInstances { job.startTime = time }
            if ends {
                job.failureReason = failureReason.map(FailureReason.clipped)
                job.exitMessage = exitMessage
                job.finalMetrics = finalMetrics
                job.endTime = time
            }
        }
    }

    /// What the runner does once every instance has ended.
    public enum Upload: Equatable, Sendable {
        /// Nothing (a stopped processing job: its EndOfJob outputs are not uploaded, spec §7).
        case nothing
        /// A processing job's EndOfJob outputs (every output when uploads on failure are on).
        case processingOutputs(endOfJob: Bool)
        /// A training job's `/opt/ml/model` as model.tar.gz and `/opt/ml/output/data` as output.tar.gz.
        case trainingArtifacts
    }

    // MARK: Before the instances run

    /// CreateProcessingJob / CreateTrainingJob: every job starts InProgress (training: Starting).
    public static func created(_ kind: JobKind) -> Transition {
        switch kind {
        case .processing: Transition(status: .inProgress, event: "Created")
        case .training: Transition(status: .inProgress, secondaryStatus: .starting, event: "Starting the training job")
        }
    }

    /// The runner claimed the job and prepares its instances' volumes (training: Starting's second
    /// message; a processing job's timeline notes each volume and staging step itself: nil).
    public static func preparing(_ kind: JobKind) -> Transition? {
        switch kind {
        case .processing: nil
        case .training: Transition(secondaryStatus: .starting, event: "Preparing the instances for training")
        }
    }

    /// The runner starts copying the input channels (training: Downloading; processing: nil, as above).
    public static func downloading(_ kind: JobKind) -> Transition? {
        switch kind {
        case .processing: nil
        case .training: Transition(secondaryStatus: .downloading, event: "Downloading input data")
        }
    }

    /// The instances start (ProcessingStartTime / TrainingStartTime; training: Training).
    public static func launched(_ kind: JobKind, argv: [String]) -> Transition {
        switch kind {
        case .processing:
            Transition(startsInstances: true, event: "Instances starting: \(argv.joined(separator: " "))")
        case .training:
            Transition(secondaryStatus: .training, startsInstances: true,
                       event: "Training image download completed. Training in progress.")
        }
    }

    // MARK: Stops

    public enum StopRefusal: Error, Equatable { case notInProgress(JobStatus) }

    /// Stop...Job: an InProgress job moves to Stopping and its runner, in whichever process, ends it
    /// (SIGTERM, the grace period, SIGKILL) as Stopped. Any other status refuses the stop.
    public static func stopRequested(_ job: JobRecord) throws(StopRefusal) -> Transition {
        guard job.status == .inProgress else { throw .notInProgress(job.status) }
        return Transition(status: .stopping, secondaryStatus: .stopping, stopRequested: true,
                          event: job.kind == .training ? "Stopping the training job" : "Stop requested")
    }

    /// StoppingCondition.MaxRuntimeInSeconds ran out while the job was InProgress: it stops as if asked
    /// (a job already Stopping keeps going).
    public static func maxRuntimeReached(_ job: JobRecord, seconds: Int) -> Transition? {
        guard job.status == .inProgress else { return nil }
        return Transition(status: .stopping, secondaryStatus: .stopping, stopRequested: true,
                          event: "MaxRuntimeInSeconds (\(seconds) s) reached: stopping")
    }

    /// The process that ran the job is gone (killed, or a server shutting down): it ends Failed, as the
    /// real service reports a job lost to an internal fault.
    public static func runnerLost(_ job: JobRecord, reason: String) -> Transition {
        Transition(status: .failed, secondaryStatus: .failed, failureReason: reason, ends: true, event: reason)
    }

    // MARK: The end

    /// What the runner knows once every instance has ended.
    struct InstancesEnded: Equatable {
        var kind: JobKind
        var hosts: [String]
        var exits: [InstanceExit]
        var stop: StopCause?
        var memoryKilled: [Bool]
        var volumeFull: [Bool]
        var volumeFullReason: String = FailureReason.volumeFull
        /// A Pipe input or a Continuous output that failed (its ClientError).
        var streamFailure: String?
        var exitMessage: ExitMessage.Outcome = .none
        /// A training job's `/opt/ml/output/failure` of the first instance that wrote one.
        var failureFile: String?
    }

    /// The job's end as its instances decided it, before the uploads: the status, FailureReason and
    /// ExitMessage, and what to upload.
    struct Conclusion: Equatable {
        var outcome: Outcome
        var upload: Upload
    }

    /// How a job ends, before the store's last word (`finished`).
    struct Outcome: Equatable {
        var status: JobStatus
        var secondaryStatus: SecondaryStatus
        var failureReason: String?
        var event: String
        var exitMessage: String?
        var finalMetrics: String?

        static func completed(_ kind: JobKind) -> Outcome {
            Outcome(status: .completed, secondaryStatus: .completed, event: kind == .training ? "Training job completed" : JobStatus.completed.rawValue)
        }

        static func failed(_ reason: String, _ event: String) -> Outcome {
            Outcome(status: .failed, secondaryStatus: .failed, failureReason: reason, event: event)
        }

        static func stopped(_ kind: JobKind, _ stop: StopCause?) -> Outcome {
            switch (kind, stop) {
            case (.processing, let .maxRuntime(seconds)?):
                Outcome(status: .stopped, secondaryStatus: .maxRuntimeExceeded, event: "Stopped: MaxRuntimeInSeconds (\(seconds) s) reached")
            case (.training, .maxRuntime?):
                Outcome(status: .stopped, secondaryStatus: .maxRuntimeExceeded, event: "Training job runtime exceeded MaxRuntimeInSeconds provided")
            case (.processing, _): Outcome(status: .stopped, secondaryStatus: .stopped, event: JobStatus.stopped.rawValue)
            case (.training, _): Outcome(status: .stopped, secondaryStatus: .stopped, event: "Training job stopped")
            }
        }
    }

    /// A stop that arrived while the inputs were being staged: nothing was started or uploaded.
    static let stoppedBeforeStart = Outcome(status: .stopped, secondaryStatus: .stopped, event: "Stopped before the instances started")

    /// Staging failed (a ClientError: no objects, a volume that cannot be made) or sagebox itself failed.
    static func failedBeforeStart(_ reason: String) -> Outcome { .failed(reason, "Failed before the instances started") }

    /// Every instance has ended: the status by the spec's rules, in this order. A stop (requested or
    /// MaxRuntime) ends Stopped. A sandbox that could not start is sagebox's fault. The host's disk under
    /// the floor fails the job even if it exited 0 after SIGTERM. All exits 0 is Completed; otherwise
    /// Failed, with the memory ClientError when a memory limit killed an instance, the volume's when an
    /// instance failed with its volume full. A failed Pipe or Continuous stream fails a job that would
    /// have completed; so does an exit message that is not UTF-8 (unless it was stopped).
    static func instancesEnded(_ facts: InstancesEnded, uploadOnFailure: Bool) -> Conclusion {
        var outcome = status(facts)
        if outcome.status != .stopped, let host = facts.memoryKilled.firstIndex(of: true).map({ facts.hosts[$0] }) {
            outcome = .failed(FailureReason.memoryExceeded, "\(host) ran out of memory and was killed")
        } else if case .hostDiskLow = facts.stop {
            // Its instances were killed, and a volume may be full too: the host's disk is the cause to tell.
        } else if outcome.status == .failed,
                  let index = facts.exits.indices.first(where: { !facts.exits[$0].succeeded && facts.volumeFull[$0] }) {
            outcome = .failed(facts.volumeFullReason, "\(facts.hosts[index]) filled its volume")
        }
        if let failure = facts.streamFailure, outcome.status == .completed {
            outcome = .failed(failure, "An input pipe or a Continuous upload failed")
        }
        switch facts.exitMessage {
        case .none: break
        case let .message(text): outcome.exitMessage = text
        case let .notUTF8(host):
            if outcome.status != .stopped {
                outcome = .failed(FailureReason.clientError("The exit message file /opt/ml/output/message of \(host) is not valid UTF-8."),
                                  "Exit message is not UTF-8")
            }
        }
        let upload: Upload = switch facts.kind {
        case .processing: .processingOutputs(endOfJob: outcome.status == .completed || uploadOnFailure)
        // AWS uploads the model of a completed job, and of a stopped one: the SIGTERM's 120 s are
        // there for the algorithm to save it (StopTrainingJob). A failed job's model is not uploaded.
        case .training: outcome.status == .failed && !uploadOnFailure ? .nothing : .trainingArtifacts
        }
        return Conclusion(outcome: outcome, upload: upload)
    }

    private static func status(_ facts: InstancesEnded) -> Outcome {
        if let stop = facts.stop, stop.endsStopped { return .stopped(facts.kind, stop) }
        for exit in facts.exits {
            if case let .launchFailed(125, reason) = exit {
                return .failed(FailureReason.internalError("sagebox could not isolate the job: \(reason)"), "Sandbox failed")
            }
        }
        if case let .hostDiskLow(floor) = facts.stop {
            return .failed(FailureReason.hostDiskLow(floorBytes: floor), "Failed: the host's disk is nearly full")
        }
        if facts.exits.allSatisfy(\.succeeded) { return .completed(facts.kind) }
        let event = if case let .instanceFailed(host) = facts.stop { "\(host) failed: the other instances were stopped" } else { "An instance exited non-zero" }
        return .failed(algorithmError(facts), event)
    }

    /// Processing: see the logs. Training: the failure file's text, else the exit code (spec §4).
    private static func algorithmError(_ facts: InstancesEnded) -> String {
        guard facts.kind == .training else { return FailureReason.algorithmError }
        if let text = facts.failureFile { return "AlgorithmError: " + text }
        let code = facts.exits.lazy.compactMap { exit -> Int32? in
            switch exit {
            case let .exited(code) where code != 0: code
            case let .signaled(signal): 128 + signal
            case let .launchFailed(code, _): code
            default: nil
            }
        }.first ?? 1
        return "AlgorithmError: , exit code: \(code)"
    }

    /// An upload of the outputs failed: a job that would have completed fails with its ClientError.
    static func uploadFailed(_ outcome: Outcome, reason: String) -> Outcome {
        guard outcome.status == .completed else { return outcome }
        var failed = Outcome.failed(reason, "Output upload failed")
        failed.exitMessage = outcome.exitMessage
        failed.finalMetrics = outcome.finalMetrics
        return failed
    }

    /// The uploads are done (training: Uploading, with AWS's message).
    static func uploading(_ kind: JobKind) -> Transition {
        switch kind {
        case .processing: Transition(event: "Uploading outputs")
        case .training: Transition(secondaryStatus: .uploading, event: "Uploading generated training model")
        }
    }

    /// The job's last transition. A job ended meanwhile by someone else (a server shutting down fails
    /// its jobs) keeps its status (nil: nothing to apply). A job that was asked to stop ends Stopped,
    /// whatever its instances did meanwhile (spec §3's recommendation).
    /// A training job's last SecondaryStatusTransition carries AWS's own message ("Training job failed"),
    /// so the outcome's detail goes on the timeline first, as a note (`detail`).
    static func finished(_ job: JobRecord, _ outcome: Outcome) -> Transition? {
        guard !job.isTerminal else { return nil }
        if job.stopRequested && outcome.status != .stopped {
            let stopped = Outcome.stopped(job.kind, nil)
            let event = job.kind == .training ? stopped.event : "\(stopped.event) (\(outcome.event))"
            return Transition(status: .stopped, secondaryStatus: stopped.secondaryStatus, exitMessage: outcome.exitMessage,
                              finalMetrics: outcome.finalMetrics, ends: true, event: event)
        }
        let event = job.kind == .training && outcome.status == .failed ? trainingFailed : outcome.event
        return Transition(status: outcome.status, secondaryStatus: outcome.secondaryStatus, failureReason: outcome.failureReason,
                          exitMessage: outcome.exitMessage, finalMetrics: outcome.finalMetrics, ends: true, event: event)
    }

    /// AWS's StatusMessage of a training job's Failed SecondaryStatus.
    static let trainingFailed = "Training job failed"

    /// What the timeline should say before `finished`'s transition, when the transition's own text is
    /// AWS's fixed message rather than why the job ended (nil: nothing to add).
    static func detail(_ job: JobRecord, _ outcome: Outcome) -> String? {
        guard let transition = finished(job, outcome), transition.event != outcome.event else { return nil }
        return outcome.event
    }
}

extension JobStore {
    /// Applies a lifecycle transition to the job's record in one store transaction (nil: nothing to do).
    func apply(_ transition: JobLifecycle.Transition?, to jobId: Int64, at time: Double = now()) throws {
        guard let transition else { return }
        // A step that changes nothing of the record is a note: one INSERT, not a read and an UPDATE.
        if transition.status == nil && transition.secondaryStatus == nil && !transition.startsInstances && !transition.ends {
            return try note(jobId: jobId, at: time, transition.event)
        }
        try update(jobId: jobId, at: time, restatesSecondaryStatus: transition.secondaryStatus != nil) {
            transition.apply(to: &$0, at: time)
            return transition.event
        }
    }
}
