/// Why the job store refused a change.
public enum JobStoreError: Error, Sendable, Equatable {
    /// A job with this name exists (names stay taken until the job is deleted).
    case nameTaken(existingArn: String)
    case noSuchJob(name: String)
    /// The job is in a status that does not allow the change (e.g. deleting a running job).
    case wrongStatus(name: String, status: String)
}
