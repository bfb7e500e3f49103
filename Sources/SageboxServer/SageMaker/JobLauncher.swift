import Foundation
import Logging
import JobStore
import ProcessingEngine

/// Runs jobs created over HTTP, each on a Thread of its own: `JobRunner.run` blocks until the job
/// ends, which must not tie up the Swift concurrency pool the server answers requests on.
struct JobLauncher: Sendable {
    let root: SageboxRoot
    let settings: RunnerSettings
    let endpoint: ServerEndpoint
    let logger: Logger

    /// Starts running the (InProgress) job in the background and returns at once. The job's boto3
    /// reaches this server through AWS_ENDPOINT_URL.
    func start(jobNamed name: String, kind: JobKind = .processing) {
        var settings = settings
        settings.endpoint = endpoint.url
        let runner = JobRunner(root: root, settings: settings)
        let logger = logger
        let thread = Thread {
            do {
                let job = try runner.run(jobNamed: name, kind: kind)
                logger.info("job \(job.name) ended \(job.status.rawValue)\(job.failureReason.map { ": \($0)" } ?? "")")
            } catch {
                logger.error("job \(name) could not be run: \(error)")
            }
        }
        thread.name = "sagebox-job-\(name)"
        thread.start()
    }
}
