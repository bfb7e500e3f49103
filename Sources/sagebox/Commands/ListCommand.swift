import ArgumentParser
import Foundation
import ProcessingEngine
import SageMakerAPI

/// `sagebox list`: ListProcessingJobs, newest first.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List processing jobs, newest first (ListProcessingJobs).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only jobs in this status (InProgress, Completed, Failed, Stopping, Stopped).")
    var status: String?

    @Option(help: "Only jobs whose name contains this text (case-insensitive).")
    var nameContains: String?

    @Flag(help: "Print ListProcessingJobs' JSON instead of a table.")
    var json = false

    func run() throws {
        let service = JobService(root: try global.open())
        try service.failInterruptedJobs()
        var summaries: [ProcessingJobSummary] = []
        var token: String?
        repeat {
            var request = ListProcessingJobsRequest()
            request.maxResults = 100
            request.nameContains = nameContains
            request.nextToken = token
            request.sortBy = "CreationTime"
            request.sortOrder = "Descending"
            request.statusEquals = status
            let page = try calling("ListProcessingJobs") { try service.listProcessingJobs(request) }
            summaries += page.processingJobSummaries ?? []
            token = page.nextToken
        } while token != nil
        if json {
            var response = ListProcessingJobsResponse()
            response.processingJobSummaries = summaries
            return try Output.json(response)
        }
        Output.line("NAME".padding(toLength: 40, withPad: " ", startingAt: 0) + "  STATUS      CREATED              FAILURE")
        for job in summaries {
            let name = job.processingJobName ?? ""
            Output.line(name.padding(toLength: max(40, name.count), withPad: " ", startingAt: 0) + "  "
                + (job.processingJobStatus ?? "").padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
                + (job.creationTime.map(Output.timestamp) ?? "") + "  " + (job.failureReason ?? ""))
        }
    }
}
