/// Why inputs could not be staged or outputs uploaded; `reason` is the job's FailureReason.
struct StagingFailure: Error {
    var reason: String
}
