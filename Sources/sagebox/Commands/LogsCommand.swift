import ArgumentParser
import Foundation
import ProcessingEngine

/// `sagebox logs NAME`: the job's stdout and stderr, one CloudWatch stream per instance.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a job's log streams (stdout and stderr of each instance).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var kind: JobKindOption

    @Argument(help: "The job's name.")
    var name: String

    @Flag(help: "Start each line with the time it was written.")
    var timestamps = false

    func run() throws {
        let root = try global.open()
        guard let job = try root.jobs.job(named: name, kind: kind.kind), let id = job.id else {
            throw CommandFailure("Could not find requested job with name \(name)")
        }
        for stream in try root.jobs.logStreams(jobId: id) {
            Output.line("==> /aws/sagemaker/\(job.kind.rawValue)s \(stream) <==")
            var after: Int64 = 0
            while true {
                let events = try root.jobs.logEvents(stream: stream, afterId: after)
                guard let last = events.last else { break }
                for event in events {
                    let time = Date(timeIntervalSince1970: Double(event.timestamp) / 1000)
                    Output.line(timestamps ? "\(Output.timestamp(time))  \(event.message)" : event.message)
                }
                after = last.id!
            }
        }
    }
}
