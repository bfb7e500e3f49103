import ArgumentParser
import ProcessingEngine
import SageMakerAPI

/// `sagebox delete NAME`: DeleteProcessingJob; the name can then be used again.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a job that has ended (DeleteProcessingJob), freeing its name.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The ProcessingJobName.")
    var name: String

    func run() throws {
        let service = JobService(root: try global.open())
        try calling("DeleteProcessingJob") { try service.deleteProcessingJob(DeleteProcessingJobRequest(processingJobName: name)) }
    }
}
