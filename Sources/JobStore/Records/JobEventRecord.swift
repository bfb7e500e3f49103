import GRDB

/// One entry of a job's timeline: every status transition, and the notable steps in between
/// (staging done, instance started, instance exited, upload done).
public struct JobEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "job_events"

    public var id: Int64?
    public var jobId: Int64
    public var time: Double
    /// The status the job entered, for a transition; nil for a step that changed no status.
    public var status: JobStatus?
    public var message: String

    public init(id: Int64? = nil, jobId: Int64, time: Double, status: JobStatus?, message: String) {
        self.id = id
        self.jobId = jobId
        self.time = time
        self.status = status
        self.message = message
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
