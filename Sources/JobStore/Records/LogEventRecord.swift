import GRDB

/// One line a job's instance wrote to stdout or stderr, as a CloudWatch Logs event.
public struct LogEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "log_events"

    public var id: Int64?
    public var jobId: Int64
    public var logStream: String
    /// Milliseconds since the epoch, when the line was read.
    public var timestamp: Int64
    public var message: String

    public init(id: Int64? = nil, jobId: Int64, logStream: String, timestamp: Int64, message: String) {
        self.id = id
        self.jobId = jobId
        self.logStream = logStream
        self.timestamp = timestamp
        self.message = message
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
