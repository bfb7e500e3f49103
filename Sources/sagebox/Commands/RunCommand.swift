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
        discussion: """
            Without --wait the job runs in a background process and the command prints its ARN at once, \
            as CreateProcessingJob does. With --wait the command runs the job, prints its final status, and \
            exits 0 only when the job ends Completed.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reserve: HostReserveOptions

    @Argument(help: ArgumentHelp("The CreateProcessingJob request, as JSON (the --cli-input-json form).", valueName: "job.json"))
    var requestFile: String

    @Option(help: "Use this ProcessingJobName instead of the file's.")
    var name: String?

    @Flag(help: "Run the job in this process and wait until it ends.")
    var wait = false

    @Flag(help: "With --wait, print the job's log lines as they are written.")
    var logs = false

    @Flag(help: "Upload EndOfJob outputs of failed and stopped jobs too (AWS does not; useful for debugging).")
    var uploadOnFailure = false

    @Option(help: ArgumentHelp("Seconds between SIGTERM and SIGKILL when the job is stopped.", valueName: "seconds"))
    var stopGrace: Double = 120

    @Option(help: ByteCount.diskFloorHelp)
    var diskFloor = ByteCount.defaultDiskFloor

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(filePath: requestFile))
        } catch {
            throw CommandFailure("cannot read \(requestFile): \(error.localizedDescription)")
        }
        var request = try calling("CreateProcessingJob") { try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: data) }
        if let name { request.processingJobName = name }
        let root = try global.open()
        let created = try calling("CreateProcessingJob") { try ProcessingJobService(root: root).createProcessingJob(request) }
        let jobName = request.processingJobName!
        guard wait else {
            try startBackgroundRunner(jobName: jobName, root: root)
            try Output.json(created)
            return
        }
        var settings = RunnerSettings(launcher: RunnerSettings.findLauncher())
        settings.uploadOnFailure = uploadOnFailure
        settings.stopGrace = stopGrace
        settings.diskFloorBytes = diskFloor.bytes
        settings.hostReserve = reserve.reserve
        let interrupt = StopOnInterrupt(service: ProcessingJobService(root: root), jobName: jobName)
        defer { interrupt.cancel() }
        if logs {
            let multiHost = (request.processingResources?.clusterConfig?.instanceCount ?? 1) > 1
            settings.echo = { host, line in Output.line(multiHost ? "[\(host)] \(line)" : line) }
        }
        let job = try JobRunner(root: root, settings: settings).run(jobNamed: jobName)
        Output.line("\(job.name): \(job.status)")
        if let reason = job.failureReason { Output.line("FailureReason: \(reason)") }
        if let message = job.exitMessage { Output.line("ExitMessage: \(message)") }
        if job.status != "Completed" { throw ExitCode(1) }
    }

    /// Starts `sagebox run-job NAME` detached from this terminal, so the job outlives this command.
    private func startBackgroundRunner(jobName: String, root: SageboxRoot) throws {
        let runner = Process()
        runner.executableURL = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath()
        var arguments = ["run-job", jobName, "--root", root.url.path, "--stop-grace", String(stopGrace),
                         "--disk-floor", String(diskFloor.bytes)]
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
            try ProcessingJobService(root: root).handOver(jobNamed: jobName, to: identity)
        }
    }
}
