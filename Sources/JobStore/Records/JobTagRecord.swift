import GRDB

/// One tag of a job (AddTags / ListTags / DeleteTags); deleted with its job.
public struct JobTagRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job_tags"

    public var jobId: Int64
    public var key: String
    /// The tag's value; a tag sent without one is stored with the empty value, as SageMaker does.
    public var value: String

    public init(jobId: Int64, key: String, value: String) {
        self.jobId = jobId
        self.key = key
        self.value = value
    }
}
