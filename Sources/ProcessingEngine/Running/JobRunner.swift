import FakeS3
import Foundation
import JobStore
import ProcessIdentity
import SageMakerAPI

/// Runs one InProgress job, processing or training, to its terminal status: stage the inputs, write the
/// config files, start every instance through the launcher, capture the logs, supervise them (exits,
/// stop, MaxRuntime), upload the outputs, record the end. Every status change is a `JobLifecycle`
/// transition applied here (`apply`). Blocking: call it on a thread of its own.
public struct JobRunner: Sendable {
    public let root: SageboxRoot
    public let settings: RunnerSettings

    public init(root: SageboxRoot, settings: RunnerSettings) {
        self.root = root
        self.settings = settings
    }

    /// Runs the job and returns its final record. Whatever happens, the job ends in a terminal status.
    @discardableResult
    public func run(jobNamed name: String, kind: JobKind = .processing) throws -> JobRecord {
        guard let job = try root.jobs.job(named: name, kind: kind) else { throw JobStoreError.noSuchJob(name: name) }
        guard !job.isTerminal else { return job }
        if let me = ProcessIdentity.current { try root.jobs.claim(jobId: job.id!, by: me) }
        var hostCount = 1
        var volumes: InstanceVolumes?
        let outcome: JobLifecycle.Outcome
        do {
            try root.jobs.apply(JobLifecycle.preparing(kind), to: job.id!)
            let prepared = try PreparedJob.prepare(job, root: root, settings: settings) {
                try root.jobs.apply(JobLifecycle.downloading(kind), to: job.id!)
            }
            defer { prepared.network.stop() }
            hostCount = prepared.hosts.count
            volumes = prepared.volumes
            try root.jobs.note(jobId: prepared.jobId, at: now(), "Inputs staged for \(hostCount) instance(s)")
            outcome = try stopRequested(job.id!) ? JobLifecycle.stoppedBeforeStart : try launch(prepared)
        } catch let failure as StagingFailure {
            outcome = JobLifecycle.failedBeforeStart(failure.reason)
        } catch {
            outcome = .failed(FailureReason.internalError("\(error)"), "sagebox fault")
        }
        // The outputs are uploaded: the volumes are unmounted and their images deleted (tens of ms on a
        // busy disk) while the status goes final, and always before this returns, so a `run --wait` never
        // leaves a mount behind.
        let removal = volumes?.removeAllConcurrently()
        defer { removal?.wait() }
        let final = try finish(job, outcome)
        removal?.wait()
        let folder = JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory))
        for index in 1...hostCount { folder.instance("algo-\(index)").removeScratch() }
        return final
    }

    /// Starts every instance, then supervises them until all have ended.
    private func launch(_ job: PreparedJob) throws -> JobLifecycle.Outcome {
        let started = now()
        settings.report(.launching)
        try root.jobs.apply(JobLifecycle.launched(job.record.kind, argv: job.argv), to: job.jobId, at: started)
        try job.streams.start()
        let network = job.network
        do {
            try network.waitUntilReady()
        } catch {
            _ = job.streams.finish()
            throw error
        }
        for note in network.notes { try root.jobs.note(jobId: job.jobId, at: now(), note) }
        let machine = MachineSize.current()
        let typeName = job.definition.instanceType
        if let note = InstanceResources.capacityNote(typeName: typeName, machine: machine, reserve: settings.hostReserve) {
            try root.jobs.note(jobId: job.jobId, at: started, note)
        }
        var records: [JobInstanceRecord] = []
        var captures: [LogCapture] = []
        var resources: [InstanceResources] = []
        let supervisor = InstanceSupervisor(hosts: job.hosts)
        // The same for every instance: read once (runtimeMounts reads the venvs' pyvenv.cfg).
        let mounts = job.image.runtimeMounts
        let imageOptions = job.image.launcherOptions + network.launcherOptions
        for (index, host) in job.hosts.enumerated() {
            let limits = InstanceResources.make(
                name: "\(job.record.folder)-\(host)", typeName: typeName, machine: machine, reserve: settings.hostReserve,
                note: { text in if index == 0 { try? root.jobs.note(jobId: job.jobId, at: now(), text) } })
            resources.append(limits)
            let record = JobInstanceRecord(jobId: job.jobId, host: host, logStream: "\(job.record.name)/\(host)-\(Int(started))", startTime: started)
            let echo = settings.echo.map { echo in { @Sendable (line: String) in echo(host, line) } }
            let capture = LogCapture(jobs: root.jobs, jobId: job.jobId, stream: record.logStream,
                                     tabsAsOctal: job.record.kind == .training, echo: echo)
            let process = InstanceProcess(launcher: settings.launcher, host: host, folder: job.instances[index], overlays: job.overlays[index],
                                          hostBinds: job.layout.hostBinds, hidden: [root.url], mounts: mounts,
                                          options: limits.launcherOptions + imageOptions,
                                          argv: job.argv, environment: job.environment)
            do {
                try process.start(capture: capture) { exit in supervisor.exited(index, exit) }
            } catch {
                supervisor.killAll()
                resources.forEach { $0.release() }
                _ = job.streams.finish()
                throw EngineError.internal("could not start the sandbox launcher \(settings.launcher.path): \(error)")
            }
            supervisor.add(process)
            try root.jobs.save(record)
            records.append(record)
            captures.append(capture)
        }

        settings.report(.running)
        let deadline = Date(timeIntervalSince1970: started).addingTimeInterval(TimeInterval(job.maxRuntime))
        let (exits, stop) = supervisor.waitForAll(
            deadline: deadline, maxRuntime: job.maxRuntime, grace: settings.stopGrace,
            stopRequested: { (try? stopRequested(job.jobId)) ?? false },
            hostDiskLow: { [root, settings] in
                // statvfs a few times a second costs microseconds; a failed call is no reason to stop.
                let free = HostDisk.freeBytes(at: root.jobsURL) ?? .max
                return free < settings.diskFloorBytes ? settings.diskFloorBytes : nil
            },
            onStop: { cause in try? markStopping(job.jobId, cause) })
        // Release first: killing what escaped the process groups closes the log pipes they held.
        let memoryKilled = try release(resources, of: job, since: started)
        let streamFailure = job.streams.finish()
        for note in job.streams.notes { try root.jobs.note(jobId: job.jobId, at: now(), note) }
        try record(exits, of: records, captures: captures, jobId: job.jobId)
        return try JobConclusion(root: root, settings: settings).conclude(job, exits: exits, stop: stop, memoryKilled: memoryKilled,
                                                                    volumeFull: job.volumes.full, streamFailure: streamFailure)
    }

    /// Notes each instance's CPU use, tells which instances their memory limit killed, then removes the
    /// cgroups (killing whatever is left in them).
    private func release(_ resources: [InstanceResources], of job: PreparedJob, since started: Double) throws -> [Bool] {
        let usages = resources.map(\.usage)
        for (index, usage) in usages.enumerated() {
            guard let usage else { continue }
            try root.jobs.note(jobId: job.jobId, at: now(), resources[index].usageNote(host: job.hosts[index], usage: usage, seconds: now() - started))
        }
        resources.forEach { $0.release() }
        return usages.map { $0?.memoryLimitKilled ?? false }
    }

    /// Records how each instance ended, once its log stream has been read to the end.
    private func record(_ exits: [InstanceExit], of records: [JobInstanceRecord], captures: [LogCapture], jobId: Int64) throws {
        for (index, exit) in exits.enumerated() {
            captures[index].waitUntilDrained()
            if case let .launchFailed(_, reason) = exit { captures[index].add(line: reason) }
            var ended = records[index]
            ended.endTime = now()
            switch exit {
            case let .exited(code), let .launchFailed(code, _): ended.exitCode = Int(code)
            case let .signaled(signal): ended.signal = Int(signal)
            }
            try root.jobs.save(ended)
            try root.jobs.note(jobId: jobId, at: ended.endTime!, "\(ended.host) \(Self.describe(exit))")
        }
    }

    private func stopRequested(_ jobId: Int64) throws -> Bool {
        try root.jobs.job(id: jobId)?.stopRequested ?? false
    }

    /// Moves the job to Stopping when sagebox itself stops it (MaxRuntimeInSeconds); a Stop...Job has
    /// done that already.
    private func markStopping(_ jobId: Int64, _ cause: StopCause) throws {
        if case let .hostDiskLow(floor) = cause {
            // It ends Failed, not Stopped: it stays InProgress meanwhile, as a job one of whose instances failed.
            return try root.jobs.note(jobId: jobId, at: now(), "The host's free disk space fell below \(ByteCount(bytes: floor)): stopping")
        }
        guard case let .maxRuntime(seconds) = cause, let job = try root.jobs.job(id: jobId),
              let transition = JobLifecycle.maxRuntimeReached(job, seconds: seconds) else { return }
        try root.jobs.update(jobId: jobId, at: now(), event: transition.event) { record in
            // A stop may have arrived since the job was read: the move is decided again on the fresh row.
            JobLifecycle.maxRuntimeReached(record, seconds: seconds)?.apply(to: &record, at: now())
        }
    }

    private func finish(_ job: JobRecord, _ outcome: JobLifecycle.Outcome) throws -> JobRecord {
        let end = now()
        // Only a training job's last transition has a fixed text with its cause noted before it.
        if job.kind == .training, let current = try root.jobs.job(id: job.id!), let detail = JobLifecycle.detail(current, outcome) {
            try root.jobs.note(jobId: job.id!, at: end, detail)
        }
        return try root.jobs.update(jobId: job.id!, at: end) { record in
            guard let transition = JobLifecycle.finished(record, outcome) else { return outcome.event }
            transition.apply(to: &record, at: end)
            return transition.event
        }
    }

    static func describe(_ exit: InstanceExit) -> String {
        switch exit {
        case let .exited(code): "exited with code \(code)"
        case let .signaled(signal): "was killed by signal \(signal)"
        case let .launchFailed(code, reason): "could not start (\(code)): \(reason)"
        }
    }
}
