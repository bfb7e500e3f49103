/// Why sagebox stopped a job's instances before they all ended by themselves.
enum StopCause: Equatable {
    /// StopProcessingJob (or `sagebox stop`): the job ends Stopped.
    case requested
    /// StoppingCondition.MaxRuntimeInSeconds ran out: the job ends Stopped.
    case maxRuntime(seconds: Int)
    /// Another instance exited non-zero: the job ends Failed (spec §12, several instances).
    case instanceFailed(host: String)
    /// The free space of the root's file system fell under the floor (`RunnerSettings.diskFloorBytes`):
    /// the job ends Failed with a ClientError, before the host's disk is full.
    case hostDiskLow(floorBytes: UInt64)

    var endsStopped: Bool {
        switch self {
        case .requested, .maxRuntime: true
        case .instanceFailed, .hostDiskLow: false
        }
    }
}
