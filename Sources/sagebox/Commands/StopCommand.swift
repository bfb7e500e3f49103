import ArgumentParser
import ProcessingEngine
import SageMakerAPI

/// `sagebox stop NAME`: StopProcessingJob. The job moves to Stopping at once; its runner sends SIGTERM,
/// waits the grace period, sends SIGKILL, and the job ends Stopped.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop an InProgress job (StopProcessingJob).",
        discussion: "The grace period between SIGTERM and SIGKILL is the one given to the job's runner (`run --stop-grace`).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The ProcessingJobName.")
    var name: String

    func run() throws {
        let service = JobService(root: try global.open())
        try calling("StopProcessingJob") { try service.stopProcessingJob(StopProcessingJobRequest(processingJobName: name)) }
    }
}
