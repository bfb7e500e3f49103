import ArgumentParser
import ProcessingEngine
import SageMakerAPI

/// `sagebox stop NAME`: StopProcessingJob. The job moves to Stopping at once; its runner sends SIGTERM,
/// waits the grace period, sends SIGKILL, and the job ends Stopped.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop an InProgress job (StopProcessingJob; --training: StopTrainingJob).",
        discussion: "The grace period between SIGTERM and SIGKILL is the one given to the job's runner (`run --stop-grace`).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var job: JobKindOption

    @Argument(help: "The job's name.")
    var name: String

    func run() throws {
        let service = JobService(root: try global.open())
        switch job.kind {
        case .processing: try calling("StopProcessingJob") { try service.stopProcessingJob(StopProcessingJobRequest(processingJobName: name)) }
        case .training: try calling("StopTrainingJob") { try service.stopTrainingJob(StopTrainingJobRequest(trainingJobName: name)) }
        }
    }
}
