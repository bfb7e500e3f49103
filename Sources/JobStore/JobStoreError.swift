/// Why the job store refused a change.
public enum JobStoreError: Error, Sendable, Equatable {
    /// A job with this name exists (names stay taken until the job is deleted).
    case nameTaken(existingArn: String)
    case noSuchJob(name: String)
    /// The job is in a status that does not allow the change (e.g. deleting a running job).
    case wrongStatus(name: String, status: String)
    /// A move the status table does not allow (a bug in the caller: the lifecycle never asks for one).
    case illegalMove(name: String, from: JobStatus, to: JobStatus)
}
