import ArgumentParser
import Foundation
import JobStore
import ProcessIdentity
import ProcessingEngine
import SageMakerAPI

/// `sagebox run job.json`: CreateProcessingJob from the JSON that
/// `aws sagemaker create-processing-job --cli-input-json` takes, then run it.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create a processing job from a CreateProcessingJob request and run it.",
        discussion: JobRunOptions.discussion)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reserve: HostReserveOptions
    @OptionGroup var job: JobRunOptions

    @Argument(help: ArgumentHelp("The CreateProcessingJob request, as JSON (the --cli-input-json form).", valueName: "job.json"))
    var requestFile: String

    func run() throws {
        var request = try calling("CreateProcessingJob") {
            try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: job.read(requestFile))
        }
        if let name = job.name { request.processingJobName = name }
        let root = try global.open()
        let created = try calling("CreateProcessingJob") { try JobService(root: root).createProcessingJob(request) }
        try job.run(.processing, named: request.processingJobName!, instanceCount: request.processingResources?.clusterConfig?.instanceCount,
                    root: root, reserve: reserve, created: created)
    }
}

/// `sagebox train job.json`: CreateTrainingJob from the JSON that
/// `aws sagemaker create-training-job --cli-input-json` takes, then run it.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Create a training job from a CreateTrainingJob request and run it.",
        discussion: JobRunOptions.discussion)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reserve: HostReserveOptions
    @OptionGroup var job: JobRunOptions

    @Argument(help: ArgumentHelp("The CreateTrainingJob request, as JSON (the --cli-input-json form).", valueName: "job.json"))
    var requestFile: String

    func run() throws {
        var request = try calling("CreateTrainingJob") {
            try SageMakerJSON.decodeRequest(CreateTrainingJobRequest.self, from: job.read(requestFile))
        }
        if let name = job.name { request.trainingJobName = name }
        let root = try global.open()
        let created = try calling("CreateTrainingJob") { try JobService(root: root).createTrainingJob(request) }
        try job.run(.training, named: request.trainingJobName!, instanceCount: request.resourceConfig?.instanceCount,
                    root: root, reserve: reserve, created: created)
    }
}

/// What `run` and `train` share: how the created job is run.
struct JobRunOptions: ParsableArguments {
    static let discussion = """
        Without --wait the job runs in a background process and the command prints its ARN at once, \
        as Create...Job does. With --wait the command runs the job, prints a line per phase as it ends \
        (staging, launching, running, uploading, with the time each took) and the final status, and \
        exits 0 only when the job ends Completed. --quiet prints nothing but errors; --json prints only \
        the final Describe...Job answer.
        """

    @Option(help: "Use this job name instead of the file's.")
    var name: String?

    @Flag(help: "Run the job in this process and wait until it ends.")
    var wait = false

    @Flag(help: "With --wait, print the job's log lines as they are written.")
    var logs = false

    @Flag(help: "Upload the outputs of failed jobs too (AWS does not; useful for debugging).")
    var uploadOnFailure = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors (the exit status tells how the job ended).")
    var quiet = false

    @Flag(help: "Print only JSON: the Create...Job answer, or with --wait the final Describe...Job answer.")
    var json = false

    @OptionGroup var limits: JobLimitsOptions

    func validate() throws {
        if quiet && json { throw ValidationError("--quiet and --json cannot be used together.") }
        if logs && (quiet || json) { throw ValidationError("--logs prints the job's lines: it cannot be used with --quiet or --json.") }
    }

    func read(_ requestFile: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(filePath: requestFile))
        } catch {
            throw CommandFailure("cannot read \(requestFile): \(error.localizedDescription)")
        }
    }

    /// Runs the created job here (--wait) or hands it to a background runner and prints `created`.
    func run(_ kind: JobKind, named jobName: String, instanceCount: Int?, root: SageboxRoot, reserve: HostReserveOptions,
             created: some Encodable) throws {
        guard wait else {
            try startBackgroundRunner(kind, jobName: jobName, root: root, reserve: reserve)
            if !quiet { try Output.json(created) }
            return
        }
        var settings = limits.settings(uploadOnFailure: uploadOnFailure, reserve: reserve)
        let interrupt = StopOnInterrupt(service: JobService(root: root), jobName: jobName, kind: kind)
        defer { interrupt.cancel() }
        let display = quiet || json ? nil : PhaseDisplay()
        if let display {
            Output.line(jobName)
            settings.progress = { phase in display.report(phase) }
        }
        if logs, let display {
            let multiHost = (instanceCount ?? 1) > 1
            settings.echo = { host, line in display.logLine(multiHost ? "[\(host)] \(line)" : line) }
        }
        let job = try JobRunner(root: root, settings: settings).run(jobNamed: jobName, kind: kind)
        if let display {
            Output.line("\(job.name): \(job.status.rawValue) in \(display.finish())")
            if let reason = job.failureReason { Output.line("FailureReason: \(reason)") }
            if let message = job.exitMessage { Output.line("ExitMessage: \(message)") }
        } else if json {
            let service = JobService(root: root)
            switch kind {
            case .processing: try Output.json(service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: jobName)))
            case .training: try Output.json(service.describeTrainingJob(DescribeTrainingJobRequest(trainingJobName: jobName)))
            }
        }
        if job.status != .completed { throw ExitCode(1) }
    }

    /// Starts `sagebox run-job NAME` detached from this terminal, so the job outlives this command.
    private func startBackgroundRunner(_ kind: JobKind, jobName: String, root: SageboxRoot, reserve: HostReserveOptions) throws {
        let runner = Process()
        runner.executableURL = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath()
        var arguments = ["run-job", jobName, "--kind", kind.rawValue, "--root", root.url.path] + limits.arguments
        if uploadOnFailure { arguments.append("--upload-on-failure") }
        arguments += reserve.arguments
        runner.arguments = arguments
        runner.standardInput = FileHandle.nullDevice
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        try runner.run()
        // The job is this command's until the runner claims it; it becomes the runner's now, so that it
        // neither fails when this command exits nor waits forever for a runner that died. (A runner
        // already gone is no identity: the job stays this command's and fails once it exits.)
        if let identity = ProcessIdentity(pid: Int(runner.processIdentifier)) {
            try JobService(root: root).handOver(jobNamed: jobName, kind: kind, to: identity)
        }
    }
}
