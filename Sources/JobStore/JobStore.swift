import Foundation
import GRDB
import SageMakerAPI

/// Processing jobs, their timelines, instances and log events, in the root's SQLite database.
///
/// Every change that the state machine depends on happens in one write transaction, so that two
/// processes sharing the root (a CLI and a background runner) never see a half-made transition.
public struct JobStore: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    // MARK: Jobs

    /// Inserts a new job with its first transition and its tags, all in one transaction, so a job is
    /// never seen without the tags it was created with. Throws `nameTaken` when the name is in use.
    @discardableResult
    public func insert(_ job: JobRecord, event: String,
                       tags: [(key: String, value: String)] = []) throws -> JobRecord {
        try database.write { db in
            if let existing = try JobRecord.filter(JobRecord.Columns.kind == job.kind && JobRecord.Columns.name == job.name).fetchOne(db) {
                throw JobStoreError.nameTaken(existingArn: existing.arn)
            }
            var job = job
            try job.insert(db)
            var first = JobEventRecord(jobId: job.id!, time: job.creationTime, status: job.status, message: event)
            try first.insert(db)
            if let secondary = job.secondaryStatus {
                try Self.beginSecondaryStatus(secondary, jobId: job.id!, at: job.creationTime, message: event, in: db)
            }
            try Self.upsert(tags, jobId: job.id!, limit: Self.maxTagsPerJob, in: db)
            return job
        }
    }

    /// The job named `name`. Every Describe, Stop and Delete starts here: the statement is prepared
    /// once per connection (cached), as generating and parsing the SQL anew cost more than running it.
    /// One SELECT reads one consistent snapshot by itself, so no explicit transaction is wrapped around
    /// it (`unsafeRead`): GRDB's BEGIN and COMMIT pair cost more than the lookup.
    public func job(named name: String, kind: JobKind = .processing) throws -> JobRecord? {
        try database.unsafeRead { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM jobs WHERE kind = ? AND name = ?")
            return try JobRecord.fetchOne(statement, arguments: [kind, name])
        }
    }

    /// The job with `id` (one SELECT, so without an explicit transaction, as `job(named:)`).
    public func job(id: Int64) throws -> JobRecord? {
        try database.unsafeRead { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?")
            return try JobRecord.fetchOne(statement, arguments: [id])
        }
    }

    /// Applies `change` to the job in one transaction and records `event` on its timeline.
    /// When the change moves the job to another status, the event is recorded as that transition and
    /// LastModifiedTime is updated. `change` may throw to refuse the change (nothing is written); a move
    /// the status table does not allow (`JobStatus.canMove`) is refused with `illegalMove`. A new
    /// SecondaryStatus ends the current SecondaryStatusTransition and starts one whose StatusMessage is `event`.
    @discardableResult
    public func update(
        jobId: Int64, at time: Double, event: String,
        _ change: (inout JobRecord) throws -> Void
    ) throws -> JobRecord {
        try update(jobId: jobId, at: time) { job in
            try change(&job)
            return event
        }
    }

    /// The same, where `change` returns the event, decided on the fresh row (the lifecycle's words).
    /// With `restatesSecondaryStatus`, an event that leaves the SecondaryStatus as it is becomes the open
    /// transition's StatusMessage (AWS's Starting reads "Preparing the instances for training" once it has).
    @discardableResult
    public func update(jobId: Int64, at time: Double, restatesSecondaryStatus: Bool = false,
                       _ change: (inout JobRecord) throws -> String) throws -> JobRecord {
        try database.write { db in
            guard var job = try JobRecord.fetchOne(db, key: jobId) else {
                throw JobStoreError.noSuchJob(name: "#\(jobId)")
            }
            let before = job.status, beforeSecondary = job.secondaryStatus
            let event = try change(&job)
            let moved = job.status != before
            if moved {
                guard before.canMove(to: job.status) else {
                    throw JobStoreError.illegalMove(name: job.name, from: before, to: job.status)
                }
            }
            let secondaryMoved = job.secondaryStatus != beforeSecondary
            if moved || secondaryMoved { job.lastModifiedTime = time }
            try job.update(db)
            if secondaryMoved, let secondary = job.secondaryStatus {
                try Self.beginSecondaryStatus(secondary, jobId: jobId, at: time, message: event, in: db)
            } else if restatesSecondaryStatus, job.secondaryStatus != nil {
                try db.execute(sql: "UPDATE secondary_status_transitions SET statusMessage = ? WHERE jobId = ? AND endTime IS NULL",
                               arguments: [event, jobId])
            }
            var entry = JobEventRecord(jobId: jobId, time: time, status: moved ? job.status : nil, message: event)
            try entry.insert(db)
            return job
        }
    }

    /// Ends the job's open SecondaryStatusTransition and opens the next one; a terminal SecondaryStatus
    /// (Completed, Failed, Stopped, MaxRuntimeExceeded) ends as it begins, as AWS reports it.
    private static func beginSecondaryStatus(_ status: SecondaryStatus, jobId: Int64, at time: Double, message: String, in db: Database) throws {
        try db.execute(sql: "UPDATE secondary_status_transitions SET endTime = ? WHERE jobId = ? AND endTime IS NULL",
                       arguments: [time, jobId])
        var next = SecondaryStatusTransitionRecord(jobId: jobId, status: status, startTime: time,
                                                   endTime: status.isTerminal ? time : nil, statusMessage: message)
        try next.insert(db)
    }

    /// A training job's SecondaryStatusTransitions, oldest first.
    public func secondaryStatusTransitions(jobId: Int64) throws -> [SecondaryStatusTransitionRecord] {
        try database.read { db in
            try SecondaryStatusTransitionRecord.filter(Column("jobId") == jobId).order(Column("id")).fetchAll(db)
        }
    }

    /// Records a step on the job's timeline that changes no status.
    public func note(jobId: Int64, at time: Double, _ message: String) throws {
        try database.write { db in
            var entry = JobEventRecord(jobId: jobId, time: time, status: nil, message: message)
            try entry.insert(db)
        }
    }

    /// The job's timeline, oldest first.
    public func events(jobId: Int64) throws -> [JobEventRecord] {
        try database.read { db in
            try JobEventRecord.filter(Column("jobId") == jobId).order(Column("id")).fetchAll(db)
        }
    }

    /// Deletes a job in a terminal status with everything that belongs to it; its name becomes free.
    public func delete(named name: String, kind: JobKind = .processing) throws {
        try database.write { db in
            guard let job = try JobRecord.filter(JobRecord.Columns.kind == kind && JobRecord.Columns.name == name).fetchOne(db) else {
                throw JobStoreError.noSuchJob(name: name)
            }
            guard job.isTerminal else { throw JobStoreError.wrongStatus(name: name, status: job.status.rawValue) }
            _ = try job.delete(db)
        }
    }

    // MARK: Instances and logs

    public func save(_ instance: JobInstanceRecord) throws {
        try database.write { db in try instance.save(db) }
    }

    public func instances(jobId: Int64) throws -> [JobInstanceRecord] {
        try database.read { db in
            try JobInstanceRecord.filter(Column("jobId") == jobId).order(Column("host")).fetchAll(db)
        }
    }

    /// Appends log lines in one transaction (callers batch them: one transaction per line would be slow).
    public func append(_ events: [LogEventRecord]) throws {
        guard !events.isEmpty else { return }
        try database.write { db in
            for var event in events { try event.insert(db) }
        }
    }

    /// The log events of one stream, in the order they were written, after the event with id `afterId`.
    public func logEvents(stream: String, afterId: Int64 = 0, limit: Int = 10_000) throws -> [LogEventRecord] {
        try database.read { db in
            try LogEventRecord
                .filter(Column("logStream") == stream && Column("id") > afterId)
                .order(Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// The streams of a job that hold at least one event (a stream exists once its first line is written).
    public func logStreams(jobId: Int64) throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT logStream FROM log_events WHERE jobId = ? ORDER BY logStream
                """, arguments: [jobId])
        }
    }
}
