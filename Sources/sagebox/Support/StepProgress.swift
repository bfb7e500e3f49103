import Foundation
import JobStore
import ProcessingEngine
import Synchronization

/// What `pipeline start --wait` and `pipeline retry --wait` print while the execution runs: a line when a
/// step starts and one when it ends, with its status and time (the same rows as `run --wait`'s phases).
/// The executor runs on this process's own threads, so this reads the store a few times a second rather
/// than asking the executor for events: the store is where a step's status changes, and the only place.
final class StepProgress: Sendable {
    private struct Seen {
        var started: Set<String> = []
        var ended: Set<String> = []
    }

    private let store: PipelineStore
    private let executionId: Int64
    private let seen = Mutex(Seen())
    private let stopped = Mutex(false)

    init(store: PipelineStore, executionId: Int64, every interval: Double = 0.2) {
        self.store = store
        self.executionId = executionId
        Thread.detachNewThread { [self] in
            while !stopped.withLock({ $0 }) {
                poll()
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    /// Prints what the last reads missed and stops reading.
    func finish() {
        stopped.withLock { $0 = true }
        poll()
    }

    private func poll() {
        guard let steps = try? store.steps(executionId: executionId) else { return }
        seen.withLock { seen in
            for step in steps.sorted(by: { $0.startIndex < $1.startIndex }) {
                if seen.started.insert(step.name).inserted, step.endTime == nil {
                    Output.line(PhaseDisplay.row(step.name, step.type, nil))
                }
                guard let end = step.endTime, seen.ended.insert(step.name).inserted else { continue }
                let detail = step.cacheSourceExecutionArn == nil ? step.status.rawValue : "\(step.status.rawValue) (cache hit)"
                Output.line(PhaseDisplay.row(step.name, detail, .milliseconds(Int64(((end - step.startTime) * 1000).rounded()))))
            }
        }
    }
}
