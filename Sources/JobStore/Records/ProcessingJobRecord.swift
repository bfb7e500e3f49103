import Foundation
import GRDB

/// One processing job, as the `processing_jobs` table stores it.
///
/// The request is kept verbatim (the CreateProcessingJob JSON) so that DescribeProcessingJob can echo
/// exactly what the client sent; the columns beside it are what listing, filtering and the state machine
/// need. Times are epoch seconds with a fraction, as the JSON 1.1 wire format carries them.
public struct ProcessingJobRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "processing_jobs"

    public var id: Int64?
    public var name: String
    public var arn: String
    /// One of InProgress, Completed, Failed, Stopping, Stopped.
    public var status: String
    /// The CreateProcessingJob request body, as JSON.
    public var request: String
    public var creationTime: Double
    public var lastModifiedTime: Double
    public var processingStartTime: Double?
    public var processingEndTime: Double?
    public var failureReason: String?
    public var exitMessage: String?
    /// The job's folder, relative to the root's `jobs/` folder.
    public var folder: String
    /// Set when StopProcessingJob or MaxRuntimeInSeconds asked the job to stop: the job then ends Stopped.
    public var stopRequested: Bool
    /// The process that runs the job (one owner per job), as its pid and its start time, so that a job whose
    /// runner died can be told from one that still runs, even after the pid was reused.
    public var runnerPid: Int?
    public var runnerStartTime: Int?

    public init(
        id: Int64? = nil, name: String, arn: String, status: String, request: String,
        creationTime: Double, lastModifiedTime: Double, processingStartTime: Double? = nil,
        processingEndTime: Double? = nil, failureReason: String? = nil, exitMessage: String? = nil,
        folder: String, stopRequested: Bool = false, runnerPid: Int? = nil, runnerStartTime: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.arn = arn
        self.status = status
        self.request = request
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
        self.processingStartTime = processingStartTime
        self.processingEndTime = processingEndTime
        self.failureReason = failureReason
        self.exitMessage = exitMessage
        self.folder = folder
        self.stopRequested = stopRequested
        self.runnerPid = runnerPid
        self.runnerStartTime = runnerStartTime
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The statuses after which nothing changes any more.
    public static let terminalStatuses: Set<String> = ["Completed", "Failed", "Stopped"]

    public var isTerminal: Bool { Self.terminalStatuses.contains(status) }
}
