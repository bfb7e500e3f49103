import Dispatch
import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI

/// While `run --wait` runs a job (or `pipeline start --wait` an execution), Ctrl-C stops it (StopProcessingJob,
/// StopPipelineExecution) instead of leaving it running without its runner; the command then reports it Stopped.
final class StopOnInterrupt: @unchecked Sendable {  // `source` is set once in init
    private let source: any DispatchSourceSignal

    convenience init(service: JobService, jobName: String, kind: JobKind) {
        self.init(stopping: jobName) {
            switch kind {
            case .processing: try? service.stopProcessingJob(StopProcessingJobRequest(processingJobName: jobName))
            case .training: try? service.stopTrainingJob(StopTrainingJobRequest(trainingJobName: jobName))
            }
        }
    }

    /// On Ctrl-C, calls `stop` (a Stop* request for what this command waits on, named `name`).
    init(stopping name: String, _ stop: @escaping @Sendable () -> Void) {
        // A parent may have started us with SIGINT blocked (test runners, some shells' job control);
        // unblocked here, on the thread that waits for the job, the signal reaches the source below.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            Output.error("Stopping \(name)…")
            stop()
        }
        source.resume()
        self.source = source
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
