import Foundation
import GRDB
import JobStore
import ProcessIdentity
import Testing

/// A job store on a real SQLite file in a fresh temporary folder.
private func makeStore(at folder: URL? = nil) throws -> (JobStore, URL) {
    let folder = folder ?? FileManager.default.temporaryDirectory.appending(path: "jobstore-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let pool = try DatabasePool(path: folder.appending(path: "sagebox.sqlite").path)
    var migrator = DatabaseMigrator()
    JobStore.registerMigrations(in: &migrator)
    try migrator.migrate(pool)
    return (JobStore(database: pool), folder)
}

private func job(_ name: String, created: Double, status: JobStatus = .inProgress, kind: JobKind = .processing) -> JobRecord {
    JobRecord(kind: kind, name: name, arn: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/\(name)",
              status: status, request: "{}", creationTime: created, lastModifiedTime: created, folder: name)
}

@Test func duplicateNamesAreRefusedUntilDeleted() throws {
    let (store, _) = try makeStore()
    let first = try store.insert(job("a", created: 1), event: "Created")
    #expect(throws: JobStoreError.nameTaken(existingArn: first.arn)) { try store.insert(job("a", created: 2), event: "Created") }
    #expect(throws: JobStoreError.wrongStatus(name: "a", status: "InProgress")) { try store.delete(named: "a") }
    try store.update(jobId: first.id!, at: 5, event: "Completed") { $0.status = .completed }
    try store.delete(named: "a")
    #expect(try store.job(named: "a") == nil)
    try store.insert(job("a", created: 6), event: "Created")
}

@Test func transitionsAreRecordedWithTheirTimes() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("t", created: 10), event: "Created")
    try store.note(jobId: created.id!, at: 11, "Inputs staged")
    let ended = try store.update(jobId: created.id!, at: 12, event: "Failed") {
        $0.status = .failed
        $0.failureReason = "AlgorithmError: See job logs for more information"
    }
    #expect(ended.lastModifiedTime == 12)
    let events = try store.events(jobId: created.id!)
    #expect(events.map(\.status) == [.inProgress, nil, .failed])
    #expect(events.map(\.time) == [10, 11, 12])
}

@Test func aRefusedChangeWritesNothing() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("r", created: 1), event: "Created")
    struct Refused: Error {}
    #expect(throws: Refused.self) {
        try store.update(jobId: created.id!, at: 2, event: "x") { $0.status = .completed; throw Refused() }
    }
    #expect(try store.job(named: "r")?.status == .inProgress)
    #expect(try store.events(jobId: created.id!).count == 1)
}

/// ExitMessage may hold any character (botocore's pattern is `[\S\s]*`): a NUL comes back with what
/// follows it, whether the job was read by id, by name or in a listing, and in a row written as TEXT by an
/// older sagebox.
@Test func anExitMessageHoldingANULComesBackWhole() throws {
    let (store, folder) = try makeStore()
    let message = "a\u{0}b" + String(repeating: "\u{0}", count: 1000) + "end\u{0}é"
    let created = try store.insert(job("nul", created: 1), event: "Created")
    try store.update(jobId: created.id!, at: 2, event: "Completed") {
        $0.status = .completed
        $0.exitMessage = message
    }
    #expect(try store.job(named: "nul")?.exitMessage == message)
    #expect(try store.job(id: created.id!)?.exitMessage == message)
    #expect(try store.list(JobListQuery(kind: .processing)).jobs.first?.exitMessage == message)

    let pool = try DatabasePool(path: folder.appending(path: "sagebox.sqlite").path)
    try pool.write { db in
        try db.execute(sql: "UPDATE jobs SET exitMessage = CAST(? AS TEXT)", arguments: [Data("x\u{0}y".utf8)])
        #expect(try String.fetchOne(db, sql: "SELECT typeof(exitMessage) FROM jobs") == "text")
    }
    #expect(try store.job(named: "nul")?.exitMessage == "x\u{0}y")
}

@Test func listingFiltersSortsAndPagesWithoutOverlap() throws {
    let (store, _) = try makeStore()
    for index in 0..<25 {
        try store.insert(job(String(format: "job-%02d", index), created: Double(index), status: index % 2 == 0 ? .completed : .failed), event: "Created")
    }
    var query = JobListQuery(kind: .processing)
    query.ascending = false
    query.limit = 10
    var names: [String] = []
    var more = true
    while more {
        let page = try store.list(query)
        names += page.jobs.map(\.name)
        more = page.more
        query.offset += page.jobs.count
    }
    #expect(names == (0..<25).reversed().map { String(format: "job-%02d", $0) })

    var filtered = JobListQuery(kind: .processing)
    filtered.statusEquals = .failed
    filtered.nameContains = "JOB-1"
    filtered.creationTimeAfter = 11  // exclusive
    filtered.limit = 100
    #expect(try store.list(filtered).jobs.map(\.name) == ["job-13", "job-15", "job-17", "job-19"])
}

/// A page with or without StatusEquals, sorted by CreationTime or Name either way, is read from an index
/// in order: no temporary B-tree sorting every matching job (23 ms a page over 100,000 jobs).
@Test(arguments: [nil, JobStatus.completed], [JobListQuery.SortKey.creationTime, .name, .status])
func listPagesAreIndexRangesWithoutASort(status: JobStatus?, sortBy: JobListQuery.SortKey) throws {
    let (store, _) = try makeStore()
    for ascending in [true, false] {
        var query = JobListQuery(kind: .processing)
        query.statusEquals = status
        query.sortBy = sortBy
        query.ascending = ascending
        query.offset = 200
        let plan = try store.listQueryPlan(query)
        #expect(plan.contains { $0.contains("USING INDEX jobs_by_") || $0.contains("USING INDEX sqlite_autoindex") },
                "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}

@Test func logEventsKeepTheirOrderPerStream() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("l", created: 1), event: "Created")
    try store.append((1...3).map { LogEventRecord(jobId: created.id!, logStream: "l/algo-1-1", timestamp: 1000, message: "line \($0)") })
    try store.append([LogEventRecord(jobId: created.id!, logStream: "l/algo-2-1", timestamp: 1000, message: "other")])
    #expect(try store.logStreams(jobId: created.id!) == ["l/algo-1-1", "l/algo-2-1"])
    let first = try store.logEvents(stream: "l/algo-1-1", limit: 2)
    #expect(first.map(\.message) == ["line 1", "line 2"])
    #expect(try store.logEvents(stream: "l/algo-1-1", afterId: first.last!.id!).map(\.message) == ["line 3"])
}

/// A log line holding a NUL reads back whole (GRDB reads TEXT as a C string: the bytes are a BLOB).
@Test func aLogLineWithANulReadsBackWhole() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("nul", created: 1), event: "Created")
    try store.append([LogEventRecord(jobId: created.id!, logStream: "nul/algo-1-1", timestamp: 1, message: "a\u{0}b é")])
    #expect(try store.logEvents(stream: "nul/algo-1-1").map(\.message) == ["a\u{0}b é"])
}

@Test func theStoreSurvivesReopening() throws {
    let (store, folder) = try makeStore()
    try store.insert(job("kept", created: 1), event: "Created")
    let (reopened, _) = try makeStore(at: folder)
    #expect(try reopened.job(named: "kept")?.status == .inProgress)
}

@Test func jobsWhoseRunnerIsGoneEndFailedAndOthersAreLeftAlone() throws {
    let (store, _) = try makeStore()
    let dead = try store.insert(job("dead-runner", created: 100), event: "Created")
    try store.claim(jobId: dead.id!, by: ProcessIdentity(pid: Int(Int32.max), startTime: 1))
    let alive = try store.insert(job("live-runner", created: 100), event: "Created")
    try store.claim(jobId: alive.id!, by: try #require(ProcessIdentity.current))
    try store.insert(job("unclaimed-new", created: 150), event: "Created")
    try store.insert(job("unclaimed-old", created: 10), event: "Created")
    try store.insert(job("ended", created: 10, status: .completed), event: "Created")

    let failed = try store.endOrphans(now: 160) {
        $0.status = .failed
        $0.failureReason = "InternalServerError: sagebox restarted while the job was running"
    }
    #expect(Set(failed.map(\.name)) == ["dead-runner", "unclaimed-old"])
    #expect(try store.job(named: "dead-runner")?.failureReason == "InternalServerError: sagebox restarted while the job was running")
    #expect(try store.job(named: "live-runner")?.status == .inProgress)
    #expect(try store.job(named: "unclaimed-new")?.status == .inProgress)
    #expect(try store.job(named: "ended")?.status == .completed)
}

@Test func theStoreRefusesAMoveTheStatusTableDoesNotAllow() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("m", created: 1), event: "Created")
    try store.update(jobId: created.id!, at: 2, event: "Completed") { $0.status = .completed }
    #expect(throws: JobStoreError.illegalMove(name: "m", from: .completed, to: .inProgress)) {
        try store.update(jobId: created.id!, at: 3, event: "back") { $0.status = .inProgress }
    }
    #expect(try store.job(named: "m")?.status == .completed)
    let stopping = try store.insert(job("s", created: 1, status: .stopping), event: "Created")
    #expect(throws: JobStoreError.illegalMove(name: "s", from: .stopping, to: .completed)) {
        try store.update(jobId: stopping.id!, at: 3, event: "done") { $0.status = .completed }
    }
}

@Test func aProcessingJobAndATrainingJobMayShareAName() throws {
    let (store, _) = try makeStore()
    try store.insert(job("same", created: 1), event: "Created")
    var training = job("same", created: 2, kind: .training)
    training.secondaryStatus = .starting
    let inserted = try store.insert(training, event: "Starting the training job")
    #expect(try store.job(named: "same", kind: .training)?.id == inserted.id)
    #expect(try store.job(named: "same", kind: .processing)?.kind == .processing)
    #expect(throws: JobStoreError.self) { try store.insert(training, event: "again") }
    var query = JobListQuery(kind: .training)
    query.limit = 10
    #expect(try store.list(query).jobs.map(\.id) == [inserted.id])
}

@Test func secondaryStatusTransitionsOpenAndCloseWithTheirMessages() throws {
    let (store, _) = try makeStore()
    var training = job("t", created: 1, kind: .training)
    training.secondaryStatus = .starting
    let created = try store.insert(training, event: "Starting the training job")
    try store.update(jobId: created.id!, at: 2, event: "Downloading input data") { $0.secondaryStatus = .downloading }
    try store.update(jobId: created.id!, at: 3, event: "note") { _ in }
    try store.update(jobId: created.id!, at: 4, event: "Training job completed") {
        $0.status = .completed
        $0.secondaryStatus = .completed
    }
    let transitions = try store.secondaryStatusTransitions(jobId: created.id!)
    #expect(transitions.map(\.status) == [.starting, .downloading, .completed])
    #expect(transitions.map(\.startTime) == [1, 2, 4])
    #expect(transitions.map(\.endTime) == [2, 4, 4])
    #expect(transitions.map(\.statusMessage) == ["Starting the training job", "Downloading input data", "Training job completed"])
}

/// A root made before training jobs (the jobs.v4 schema) keeps its jobs, timelines, tags and logs, and
/// their foreign keys, when jobs.v5 rebuilds the table.
@Test func aRootOfTheProcessingOnlySchemaIsMigratedWithEverything() throws {
    let folder = FileManager.default.temporaryDirectory.appending(path: "jobstore-v4-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let pool = try DatabasePool(path: folder.appending(path: "sagebox.sqlite").path)
    var migrator = DatabaseMigrator()
    JobStore.registerMigrations(in: &migrator)
    try migrator.migrate(pool, upTo: "jobs.v4.list-indexes")
    try pool.write { db in
        try db.execute(sql: """
            INSERT INTO processing_jobs (id, name, arn, status, request, creationTime, lastModifiedTime, processingStartTime,
                                         processingEndTime, failureReason, exitMessage, folder, stopRequested)
            VALUES (7, 'old', 'arn:old', 'Completed', '{}', 1, 3, 2, 3, NULL, 'bye', 'old-1', 0)
            """)
        try db.execute(sql: "INSERT INTO processing_job_events (jobId, time, status, message) VALUES (7, 1, 'InProgress', 'Created')")
        try db.execute(sql: "INSERT INTO processing_job_tags (jobId, key, value) VALUES (7, 'k', 'v')")
        try db.execute(sql: "INSERT INTO processing_job_instances (jobId, host, logStream) VALUES (7, 'algo-1', 'old/algo-1-1')")
        try db.execute(sql: "INSERT INTO log_events (jobId, logStream, timestamp, message) VALUES (7, 'old/algo-1-1', 1, 'hi')")
    }
    try migrator.migrate(pool)
    let store = JobStore(database: pool)
    let old = try #require(try store.job(named: "old"))
    #expect(old.id == 7 && old.kind == .processing && old.status == .completed && old.startTime == 2 && old.endTime == 3)
    #expect(old.exitMessage == "bye")
    #expect(try store.events(jobId: 7).map(\.message) == ["Created"])
    #expect(try store.tags(jobId: 7).map(\.key) == ["k"])
    #expect(try store.instances(jobId: 7).map(\.logStream) == ["old/algo-1-1"])
    #expect(try store.logEvents(stream: "old/algo-1-1").map(\.message) == ["hi"])
    let problems = try pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
    #expect(problems.isEmpty)
    // Deleting the job still cascades to everything that belongs to it.
    try store.delete(named: "old")
    for table in ["job_events", "job_tags", "job_instances", "log_events"] {
        let count = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") }
        #expect(count == 0, "\(table)")
    }
}
