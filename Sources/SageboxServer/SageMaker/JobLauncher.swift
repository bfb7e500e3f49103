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

    /// The runner settings with this server as the jobs' endpoint.
    private var jobSettings: RunnerSettings {
        var settings = settings
        settings.endpoint = endpoint.url
        return settings
    }

    /// Starts running the (InProgress) job in the background and returns at once. The job's boto3
    /// reaches this server through AWS_ENDPOINT_URL.
    func start(jobNamed name: String, kind: JobKind = .processing) {
        let runner = JobRunner(root: root, settings: jobSettings)
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

    /// Runs the (Executing) pipeline execution in the background: its steps' jobs run on threads of
    /// their own, as jobs created over HTTP do. `retrying`: RetryPipelineExecution moved it back to Executing.
    func start(pipelineExecution arn: String, retrying: Bool = false) {
        let executor = PipelineExecutor(root: root, settings: jobSettings)
        let logger = logger
        let thread = Thread {
            do {
                let execution = retrying ? try executor.retry(executionArn: arn) : try executor.run(executionArn: arn)
                logger.info("pipeline execution \(arn) ended \(execution.status.rawValue)\(execution.failureReason.map { ": \($0)" } ?? "")")
            } catch {
                logger.error("pipeline execution \(arn) could not be run: \(error)")
                // An execution that cannot run (its definition unreadable) ends Failed rather than staying Executing.
                _ = try? root.pipelines.updateExecution(arn: arn) { record in
                    guard !record.isTerminal else { return }
                    record.status = .failed
                    record.failureReason = "\(error)"
                    record.endTime = Date().timeIntervalSince1970
                    record.lastModifiedTime = record.endTime!
                }
            }
        }
        thread.name = "sagebox-pipeline-\(arn.split(separator: "/").last ?? "")"
        thread.start()
    }
}
