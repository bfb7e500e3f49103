import ArgumentParser
import Foundation
import ProcessingEngine
import SageMakerAPI

/// `sagebox describe NAME`: DescribeProcessingJob's answer, as JSON.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Print DescribeProcessingJob's JSON for a job.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The ProcessingJobName.")
    var name: String

    @Flag(help: "Print the job's timeline (every transition and step, with its time) instead.")
    var events = false

    func run() throws {
        let root = try global.open()
        let service = JobService(root: root)
        try service.failInterruptedJobs()
        let description = try calling("DescribeProcessingJob") {
            try service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: name))
        }
        guard events else { return try Output.json(description) }
        guard let job = try root.jobs.job(named: name), let id = job.id else { return }
        for event in try root.jobs.events(jobId: id) {
            let when = Output.timestamp(Date(timeIntervalSince1970: event.time))
            Output.line("\(when)  \((event.status?.rawValue ?? "").padding(toLength: 10, withPad: " ", startingAt: 0))  \(event.message)")
        }
    }
}
