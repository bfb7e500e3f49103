import ArgumentParser
import Foundation
import JobStore
import ProcessingEngine

extension JobKind: ExpressibleByArgument {}

/// The background half of `sagebox run` without --wait: runs one created job to its end.
struct RunJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-job", abstract: "Run a created job to its end (used by `run`).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reserve: HostReserveOptions

    @Argument(help: "The job's name.")
    var name: String

    @Option var kind: JobKind = .processing

    @Flag var uploadOnFailure = false

    @OptionGroup var limits: JobLimitsOptions

    func run() throws {
        // The terminal that started `run` may close; the job goes on.
        signal(SIGHUP, SIG_IGN)
        let settings = limits.settings(uploadOnFailure: uploadOnFailure, reserve: reserve)
        try JobRunner(root: try global.open(), settings: settings).run(jobNamed: name, kind: kind)
    }
}
