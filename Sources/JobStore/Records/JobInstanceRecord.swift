import GRDB

/// One instance (`algo-N`) of a job: when it ran, how it ended, and its log stream.
public struct JobInstanceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job_instances"

    public var jobId: Int64
    /// `algo-1` … `algo-N`.
    public var host: String
    /// `{job}/{host}-{epoch seconds}`, the CloudWatch stream name.
    public var logStream: String
    public var startTime: Double?
    public var endTime: Double?
    /// The exit code when the process exited, nil when a signal ended it.
    public var exitCode: Int?
    public var signal: Int?

    public init(
        jobId: Int64, host: String, logStream: String, startTime: Double? = nil, endTime: Double? = nil,
        exitCode: Int? = nil, signal: Int? = nil
    ) {
        self.jobId = jobId
        self.host = host
        self.logStream = logStream
        self.startTime = startTime
        self.endTime = endTime
        self.exitCode = exitCode
        self.signal = signal
    }
}
