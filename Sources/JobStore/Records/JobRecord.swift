import Foundation
import GRDB
import SageMakerAPI

/// One job, processing or training, as the `jobs` table stores it.
///
/// The request is kept verbatim (the Create...Job JSON) so that Describe can echo exactly what the
/// client sent; the columns beside it are what listing, filtering and the lifecycle need. Times are
/// epoch seconds with a fraction, as the JSON 1.1 wire format carries them.
public struct JobRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "jobs"

    public enum Columns {
        public static let kind = Column(CodingKeys.kind)
        public static let name = Column(CodingKeys.name)
        public static let status = Column(CodingKeys.status)
        public static let creationTime = Column(CodingKeys.creationTime)
        public static let lastModifiedTime = Column(CodingKeys.lastModifiedTime)
        public static let runnerPid = Column(CodingKeys.runnerPid)
        public static let runnerStartTime = Column(CodingKeys.runnerStartTime)
    }

    public var id: Int64?
    public var kind: JobKind
    public var name: String
    public var arn: String
    /// Changed only through `JobStore.update`, which refuses a move `JobStatus.canMove` does not allow.
    public var status: JobStatus
    /// Training jobs only; its history is in `SecondaryStatusTransitionRecord`s.
    public var secondaryStatus: SecondaryStatus?
    /// The Create...Job request body, as JSON.
    public var request: String
    public var creationTime: Double
    public var lastModifiedTime: Double
    /// ProcessingStartTime or TrainingStartTime: when the instances started.
    public var startTime: Double?
    /// ProcessingEndTime or TrainingEndTime: when the job reached its terminal status.
    public var endTime: Double?
    public var failureReason: String?
    /// What the job wrote to `/opt/ml/output/message` (up to 1,024 bytes; AWS's pattern `[\S\s]*` allows
    /// any character, NUL included).
    public var exitMessage: String? {
        get { exitMessageBytes.map { String(decoding: $0, as: UTF8.self) } }
        set { exitMessageBytes = newValue.map { Data($0.utf8) } }
    }
    /// ExitMessage's UTF-8 bytes, stored as a BLOB: SQLite keeps a NUL in TEXT, but GRDB reads TEXT as a
    /// C string and would cut the message there. (Rows stored as TEXT before still read whole as bytes.)
    private var exitMessageBytes: Data?
    /// The job's folder, relative to the root's `jobs/` folder.
    public var folder: String
    /// Set when a Stop...Job or MaxRuntimeInSeconds asked the job to stop: the job then ends Stopped.
    public var stopRequested: Bool
    /// The process that runs the job (one owner per job), as its pid and its start time, so that a job whose
    /// runner died can be told from one that still runs, even after the pid was reused.
    public var runnerPid: Int?
    public var runnerStartTime: Int?
    /// A training job's FinalMetricDataList, as JSON (`[{"MetricName", "Value", "Timestamp"}]`).
    public var finalMetrics: String?

    public init(
        id: Int64? = nil, kind: JobKind = .processing, name: String, arn: String, status: JobStatus = .inProgress,
        secondaryStatus: SecondaryStatus? = nil, request: String,
        creationTime: Double, lastModifiedTime: Double, startTime: Double? = nil,
        endTime: Double? = nil, failureReason: String? = nil, exitMessage: String? = nil,
        folder: String, stopRequested: Bool = false, runnerPid: Int? = nil, runnerStartTime: Int? = nil,
        finalMetrics: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.arn = arn
        self.status = status
        self.secondaryStatus = secondaryStatus
        self.request = request
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
        self.startTime = startTime
        self.endTime = endTime
        self.failureReason = failureReason
        self.exitMessageBytes = exitMessage.map { Data($0.utf8) }
        self.folder = folder
        self.stopRequested = stopRequested
        self.runnerPid = runnerPid
        self.runnerStartTime = runnerStartTime
        self.finalMetrics = finalMetrics
    }

    public enum CodingKeys: String, CodingKey {
        case id, kind, name, arn, status, secondaryStatus, request, creationTime, lastModifiedTime, startTime, endTime,
             failureReason, folder, stopRequested, runnerPid, runnerStartTime, finalMetrics
        case exitMessageBytes = "exitMessage"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public var isTerminal: Bool { status.isTerminal }
}

/// One entry of a training job's SecondaryStatusTransitions: a step, when it began and ended, and AWS's
/// message for it.
public struct SecondaryStatusTransitionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "secondary_status_transitions"

    public var id: Int64?
    public var jobId: Int64
    public var status: SecondaryStatus
    public var startTime: Double
    public var endTime: Double?
    public var statusMessage: String

    public init(id: Int64? = nil, jobId: Int64, status: SecondaryStatus, startTime: Double, endTime: Double? = nil, statusMessage: String) {
        self.id = id
        self.jobId = jobId
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.statusMessage = statusMessage
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
