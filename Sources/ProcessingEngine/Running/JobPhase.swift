import Foundation

/// The steps of a job as a runner goes through them, for a terminal to show (`run --wait`, `train --wait`).
/// Reported through `RunnerSettings.progress`, on the runner's thread, as each begins or ends.
public enum JobPhase: Sendable, Equatable {
    /// Volumes are being made and inputs staged.
    case staging
    /// Staging is done: `objects` objects (File and Pipe mode, over every instance), `bytes` of them staged as files.
    case staged(objects: Int, bytes: UInt64)
    /// The instances' processes are being started.
    case launching
    /// Every instance has started; the job's own code runs.
    case running
    /// The instances have ended; outputs (or the model) are being uploaded.
    case uploading
    /// The upload is done: `objects` objects published.
    case uploaded(objects: Int)
}

extension RunnerSettings {
    func report(_ phase: JobPhase) {
        progress?(phase)
    }
}
