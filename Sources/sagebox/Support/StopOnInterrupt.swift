import Dispatch
import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI

/// While `run --wait` runs a job, Ctrl-C stops the job (StopProcessingJob) instead of leaving it
/// running without its runner; the command then reports it Stopped.
final class StopOnInterrupt: @unchecked Sendable {  // `source` is set once in init
    private let source: any DispatchSourceSignal

    init(service: JobService, jobName: String, kind: JobKind) {
        // A parent may have started us with SIGINT blocked (test runners, some shells' job control);
        // unblocked here, on the thread that waits for the job, the signal reaches the source below.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            Output.error("Stopping \(jobName)…")
            switch kind {
            case .processing: try? service.stopProcessingJob(StopProcessingJobRequest(processingJobName: jobName))
            case .training: try? service.stopTrainingJob(StopTrainingJobRequest(trainingJobName: jobName))
            }
        }
        source.resume()
        self.source = source
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
