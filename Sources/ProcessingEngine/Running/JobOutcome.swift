/// How a job ends: its terminal status and what describe shows about it.
struct JobOutcome {
    var status: String
    var failureReason: String?
    var event: String
    var exitMessage: String?

    /// A stop that arrived while the inputs were being staged: nothing was started.
    static let stoppedBeforeStart = JobOutcome(status: "Stopped", failureReason: nil, event: "Stopped before the instances started")
}
