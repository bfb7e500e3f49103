import Foundation
import GRDB

/// One line a job's instance wrote to stdout or stderr, as a CloudWatch Logs event.
public struct LogEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "log_events"

    public var id: Int64?
    public var jobId: Int64
    public var logStream: String
    /// Milliseconds since the epoch, when the line was read.
    public var timestamp: Int64
    /// The line, as the job wrote it: NUL included (stored as UTF-8 bytes, as `JobRecord.exitMessage` is,
    /// since GRDB reads TEXT as a C string and would cut it at a NUL).
    public var message: String {
        get { String(decoding: messageBytes, as: UTF8.self) }
        set { messageBytes = Data(newValue.utf8) }
    }
    private var messageBytes: Data

    public init(id: Int64? = nil, jobId: Int64, logStream: String, timestamp: Int64, message: String) {
        self.id = id
        self.jobId = jobId
        self.logStream = logStream
        self.timestamp = timestamp
        self.messageBytes = Data(message.utf8)
    }

    public enum CodingKeys: String, CodingKey {
        case id, jobId, logStream, timestamp
        case messageBytes = "message"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
