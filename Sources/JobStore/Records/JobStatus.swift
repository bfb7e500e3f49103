import GRDB
import SageMakerAPI

/// Which SageMaker resource a job row is: names are unique per kind, as on AWS (a processing job and a
/// training job may share a name).
public enum JobKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case processing = "ProcessingJob"
    case training = "TrainingJob"
}

/// A job's status, stored as AWS spells it: ProcessingJobStatus and TrainingJobStatus share these values
/// (TrainingJobStatus's `Deleting` is not reached here: DeleteTrainingJob is not offered).
public enum JobStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"

    /// Nothing changes any more after these.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .stopped: true
        case .inProgress, .stopping: false
        }
    }

    /// The moves of the spec's status table (processing §3, training §4), which the store enforces:
    /// InProgress ends in any terminal status or starts Stopping; a job asked to stop ends Stopped (or
    /// Failed when sagebox itself loses it, as a server restart does); a terminal status never moves.
    public func canMove(to next: JobStatus) -> Bool {
        switch (self, next) {
        case (.inProgress, .stopping), (.inProgress, .completed), (.inProgress, .failed), (.inProgress, .stopped): true
        case (.stopping, .stopped), (.stopping, .failed): true
        default: false
        }
    }
}

/// A training job's SecondaryStatus (generated from botocore), stored by its raw value.
extension SecondaryStatus: Codable, DatabaseValueConvertible {
    /// The steps a job ends on.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .stopped, .maxRuntimeExceeded, .maxWaitTimeExceeded: true
        default: false
        }
    }
}
