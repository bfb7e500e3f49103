import ArgumentParser
import Foundation
import ProcessingEngine
import SageMakerAPI

/// `sagebox describe NAME`: DescribeProcessingJob's (or DescribeTrainingJob's) answer, as JSON.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Print DescribeProcessingJob's (--training: DescribeTrainingJob's) JSON for a job.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var job: JobKindOption

    @Argument(help: "The job's name.")
    var name: String

    @Flag(help: "Print the job's timeline (every transition and step, with its time) instead.")
    var events = false

    func run() throws {
        let root = try global.open()
        let service = JobService(root: root)
        try service.failInterruptedJobs()
        if !events {
            switch job.kind {
            case .processing:
                return try Output.json(try calling("DescribeProcessingJob") {
                    try service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: name))
                })
            case .training:
                return try Output.json(try calling("DescribeTrainingJob") {
                    try service.describeTrainingJob(DescribeTrainingJobRequest(trainingJobName: name))
                })
            }
        }
        guard let record = try root.jobs.job(named: name, kind: job.kind), let id = record.id else {
            throw CommandFailure("Could not find requested job with name \(name)")
        }
        for event in try root.jobs.events(jobId: id) {
            let when = Output.timestamp(Date(timeIntervalSince1970: event.time))
            Output.line("\(when)  \((event.status?.rawValue ?? "").padding(toLength: 10, withPad: " ", startingAt: 0))  \(event.message)")
        }
    }
}
