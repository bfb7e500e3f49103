import FakeS3
import Foundation
import JobStore
import SageMakerAPI

/// Runs one InProgress job to its terminal status: stage the inputs, write the config files, start
/// every instance through the launcher, capture the logs, wait, upload the outputs, record the end.
/// Blocking: call it on a thread of its own.
public struct JobRunner: Sendable {
    public let root: SageboxRoot
    public let settings: RunnerSettings

    public init(root: SageboxRoot, settings: RunnerSettings) {
        self.root = root
        self.settings = settings
    }

    /// Runs the job and returns its final record. Whatever happens, the job ends in a terminal status.
    @discardableResult
    public func run(jobNamed name: String) throws -> ProcessingJobRecord {
        guard let job = try root.jobs.job(named: name) else { throw JobStoreError.noSuchJob(name: name) }
        guard job.status == "InProgress" else { return job }
        let outcome: JobOutcome
        do {
            outcome = try execute(job)
        } catch let failure as StagingFailure {
            outcome = JobOutcome(status: "Failed", failureReason: failure.reason, event: "Failed before the instances started")
        } catch {
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.internalError("\(error)"), event: "sagebox fault")
        }
        return try finish(job, outcome)
    }

    private func execute(_ job: ProcessingJobRecord) throws -> JobOutcome {
        let request = try SageMakerJSON.decoder.decode(CreateProcessingJobRequest.self, from: Data(job.request.utf8))
        let jobId = job.id!
        let cluster = request.processingResources?.clusterConfig
        let hosts = (1...max(1, cluster?.instanceCount ?? 1)).map { "algo-\($0)" }
        let folder = JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory))
        let instances = hosts.map(folder.instance)

        let table = try ImageTable.load(from: root.imageTableURL, pythonEnvironment: settings.pythonEnvironment)
        let imageUri = request.appSpecification?.imageUri ?? ""
        guard let image = table.entry(for: imageUri) else {
            throw StagingFailure(reason: FailureReason.clientError("No entry of the image table \(root.imageTableURL.path) matches the image \(imageUri)."))
        }
        let argv = image.argv(entrypoint: request.appSpecification?.containerEntrypoint,
                              arguments: request.appSpecification?.containerArguments)
        guard !argv.isEmpty else {
            throw StagingFailure(reason: FailureReason.clientError("The image \(imageUri) has no ENTRYPOINT or CMD in the image table, and the request gives no ContainerEntrypoint."))
        }

        // Staging: every instance gets its folders, config files, inputs and empty output folders.
        let configData = try JobConfigFiles.processingJobConfig(request: request, arn: job.arn)
        var overlays: [[InstanceProcess.Overlay]] = []
        for (index, instance) in instances.enumerated() {
            try instance.create()
            try configData.write(to: instance.optML.appending(path: "config/processingjobconfig.json"))
            try JobConfigFiles.resourceConfig(host: hosts[index], hosts: hosts, instanceType: cluster?.instanceType ?? "")
                .write(to: instance.optML.appending(path: "config/resourceconfig.json"))
            overlays.append(try InputStager(s3: root.s3).stage(request.processingInputs ?? [], hostIndex: index,
                                                               hostCount: hosts.count, folder: instance))
            for output in request.processingOutputConfig?.outputs ?? [] {
                guard let path = output.s3Output?.localPath else { continue }
                try FileManager.default.createDirectory(at: instance.hostURL(forContainerPath: path), withIntermediateDirectories: true)
            }
        }
        try root.jobs.note(jobId: jobId, at: now(), "Inputs staged for \(hosts.count) instance(s)")

        // Launch: all instances start together.
        let environment = JobEnvironment.make(image: image, request: request.environment ?? [:], endpoint: settings.endpoint)
        let started = now()
        try root.jobs.update(jobId: jobId, at: started, event: "Instances starting: \(argv.joined(separator: " "))") { $0.processingStartTime = started }
        var running: [(InstanceProcess, LogCapture, JobInstanceRecord)] = []
        for (index, instance) in instances.enumerated() {
            let host = hosts[index]
            var record = JobInstanceRecord(jobId: jobId, host: host, logStream: "\(job.name)/\(host)-\(Int(started))", startTime: started)
            let echo = settings.echo.map { echo in { @Sendable (line: String) in echo(host, line) } }
            let capture = LogCapture(jobs: root.jobs, jobId: jobId, stream: record.logStream, echo: echo)
            let process = InstanceProcess(launcher: settings.launcher, folder: instance, overlays: overlays[index],
                                          hidden: [root.url], mounts: image.mounts, argv: argv, environment: environment)
            do {
                try process.start(capture: capture)
            } catch {
                running.forEach { $0.0.signalGroup(SIGKILL) }
                throw EngineError.internal("could not start the sandbox launcher \(settings.launcher.path): \(error)")
            }
            try root.jobs.save(record)
            record.startTime = started
            running.append((process, capture, record))
        }

        // Wait for every instance, then read what they left.
        var exits: [InstanceExit] = []
        for (process, capture, record) in running {
            let exit = process.waitUntilExit()
            capture.waitUntilDrained()
            if case let .launchFailed(_, reason) = exit { capture.add(line: reason) }
            var ended = record
            ended.endTime = now()
            switch exit {
            case let .exited(code), let .launchFailed(code, _): ended.exitCode = Int(code)
            case let .signaled(signal): ended.signal = Int(signal)
            }
            try root.jobs.save(ended)
            try root.jobs.note(jobId: jobId, at: ended.endTime!, "\(record.host) \(Self.describe(exit))")
            exits.append(exit)
        }
        return try conclude(job: job, request: request, hosts: hosts, instances: instances, exits: exits)
    }

    /// Decides the terminal status from the exits, the exit message and the uploads.
    private func conclude(job: ProcessingJobRecord, request: CreateProcessingJobRequest, hosts: [String],
                          instances: [InstanceFolder], exits: [InstanceExit]) throws -> JobOutcome {
        let stopRequested = try root.jobs.job(id: job.id!)?.stopRequested ?? false
        var outcome: JobOutcome
        if stopRequested {
            outcome = JobOutcome(status: "Stopped", failureReason: nil, event: "Stopped")
        } else if let failed = exits.first(where: { if case .launchFailed(125, _) = $0 { true } else { false } }),
                  case let .launchFailed(_, reason) = failed {
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.internalError("sagebox could not isolate the job: \(reason)"), event: "Sandbox failed")
        } else if exits.allSatisfy(\.succeeded) {
            outcome = JobOutcome(status: "Completed", failureReason: nil, event: "Completed")
        } else {
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.algorithmError, event: "An instance exited non-zero")
        }
        switch ExitMessage.read(hosts: hosts, folders: instances) {
        case .none: break
        case let .message(text): outcome.exitMessage = text
        case let .notUTF8(host):
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.clientError("The exit message file /opt/ml/output/message of \(host) is not valid UTF-8."), event: "Exit message is not UTF-8")
        }
        let outputs = request.processingOutputConfig?.outputs ?? []
        var modes: Set<String> = ["Continuous"]  // Continuous outputs get a final sweep at every terminal status.
        if outcome.status == "Completed" || settings.uploadOnFailure { modes.insert("EndOfJob") }
        do {
            let count = try OutputUploader(s3: root.s3).upload(outputs, modes: modes, from: instances)
            try root.jobs.note(jobId: job.id!, at: now(), "Uploaded \(count) object(s)")
        } catch let failure as StagingFailure {
            if outcome.status == "Completed" {
                outcome = JobOutcome(status: "Failed", failureReason: failure.reason, event: "Output upload failed", exitMessage: outcome.exitMessage)
            }
        }
        return outcome
    }

    private func finish(_ job: ProcessingJobRecord, _ outcome: JobOutcome) throws -> ProcessingJobRecord {
        let end = now()
        let final = try root.jobs.update(jobId: job.id!, at: end, event: outcome.event) { record in
            record.status = outcome.status
            record.failureReason = outcome.failureReason.map(FailureReason.clipped)
            record.exitMessage = outcome.exitMessage
            record.processingEndTime = end
        }
        let folder = JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory))
        for index in 1...max(1, (try? instanceCount(job)) ?? 1) { folder.instance("algo-\(index)").removeScratch() }
        return final
    }

    private func instanceCount(_ job: ProcessingJobRecord) throws -> Int {
        try SageMakerJSON.decoder.decode(CreateProcessingJobRequest.self, from: Data(job.request.utf8))
            .processingResources?.clusterConfig?.instanceCount ?? 1
    }

    static func describe(_ exit: InstanceExit) -> String {
        switch exit {
        case let .exited(code): "exited with code \(code)"
        case let .signaled(signal): "was killed by signal \(signal)"
        case let .launchFailed(code, reason): "could not start (\(code)): \(reason)"
        }
    }
}

/// How a job ends.
struct JobOutcome {
    var status: String
    var failureReason: String?
    var event: String
    var exitMessage: String?
}
