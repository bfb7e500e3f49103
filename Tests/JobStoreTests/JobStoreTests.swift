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

private func job(_ name: String, created: Double, status: String = "InProgress") -> ProcessingJobRecord {
    ProcessingJobRecord(name: name, arn: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/\(name)",
                        status: status, request: "{}", creationTime: created, lastModifiedTime: created, folder: name)
}

@Test func duplicateNamesAreRefusedUntilDeleted() throws {
    let (store, _) = try makeStore()
    let first = try store.insert(job("a", created: 1), event: "Created")
    #expect(throws: JobStoreError.nameTaken(existingArn: first.arn)) { try store.insert(job("a", created: 2), event: "Created") }
    #expect(throws: JobStoreError.wrongStatus(name: "a", status: "InProgress")) { try store.delete(named: "a") }
    try store.update(jobId: first.id!, at: 5, event: "Completed") { $0.status = "Completed" }
    try store.delete(named: "a")
    #expect(try store.job(named: "a") == nil)
    try store.insert(job("a", created: 6), event: "Created")
}

@Test func transitionsAreRecordedWithTheirTimes() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("t", created: 10), event: "Created")
    try store.note(jobId: created.id!, at: 11, "Inputs staged")
    let ended = try store.update(jobId: created.id!, at: 12, event: "Failed") {
        $0.status = "Failed"
        $0.failureReason = "AlgorithmError: See job logs for more information"
    }
    #expect(ended.lastModifiedTime == 12)
    let events = try store.events(jobId: created.id!)
    #expect(events.map(\.status) == ["InProgress", nil, "Failed"])
    #expect(events.map(\.time) == [10, 11, 12])
}

@Test func aRefusedChangeWritesNothing() throws {
    let (store, _) = try makeStore()
    let created = try store.insert(job("r", created: 1), event: "Created")
    struct Refused: Error {}
    #expect(throws: Refused.self) {
        try store.update(jobId: created.id!, at: 2, event: "x") { $0.status = "Completed"; throw Refused() }
    }
    #expect(try store.job(named: "r")?.status == "InProgress")
    #expect(try store.events(jobId: created.id!).count == 1)
}

@Test func listingFiltersSortsAndPagesWithoutOverlap() throws {
    let (store, _) = try makeStore()
    for index in 0..<25 {
        try store.insert(job(String(format: "job-%02d", index), created: Double(index), status: index % 2 == 0 ? "Completed" : "Failed"), event: "Created")
    }
    var query = JobListQuery()
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

    var filtered = JobListQuery()
    filtered.statusEquals = "Failed"
    filtered.nameContains = "JOB-1"
    filtered.creationTimeAfter = 11  // exclusive
    filtered.limit = 100
    #expect(try store.list(filtered).jobs.map(\.name) == ["job-13", "job-15", "job-17", "job-19"])
}

/// A page with or without StatusEquals, sorted by CreationTime or Name either way, is read from an index
/// in order: no temporary B-tree sorting every matching job (23 ms a page over 100,000 jobs).
@Test(arguments: [nil, "Completed"], [JobListQuery.SortKey.creationTime, .name, .status])
func listPagesAreIndexRangesWithoutASort(status: String?, sortBy: JobListQuery.SortKey) throws {
    let (store, _) = try makeStore()
    for ascending in [true, false] {
        var query = JobListQuery()
        query.statusEquals = status
        query.sortBy = sortBy
        query.ascending = ascending
        query.offset = 200
        let plan = try store.listQueryPlan(query)
        #expect(plan.contains { $0.contains("USING INDEX processing_jobs_by_") || $0.contains("USING INDEX sqlite_autoindex") },
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

@Test func theStoreSurvivesReopening() throws {
    let (store, folder) = try makeStore()
    try store.insert(job("kept", created: 1), event: "Created")
    let (reopened, _) = try makeStore(at: folder)
    #expect(try reopened.job(named: "kept")?.status == "InProgress")
}

@Test func jobsWhoseRunnerIsGoneEndFailedAndOthersAreLeftAlone() throws {
    let (store, _) = try makeStore()
    let dead = try store.insert(job("dead-runner", created: 100), event: "Created")
    try store.claim(jobId: dead.id!, by: ProcessIdentity(pid: Int(Int32.max), startTime: 1))
    let alive = try store.insert(job("live-runner", created: 100), event: "Created")
    try store.claim(jobId: alive.id!, by: try #require(ProcessIdentity.current))
    try store.insert(job("unclaimed-new", created: 150), event: "Created")
    try store.insert(job("unclaimed-old", created: 10), event: "Created")
    try store.insert(job("ended", created: 10, status: "Completed"), event: "Created")

    let failed = try store.failOrphans(reason: "InternalServerError: sagebox restarted while the job was running", now: 160)
    #expect(Set(failed) == ["dead-runner", "unclaimed-old"])
    #expect(try store.job(named: "dead-runner")?.failureReason == "InternalServerError: sagebox restarted while the job was running")
    #expect(try store.job(named: "live-runner")?.status == "InProgress")
    #expect(try store.job(named: "unclaimed-new")?.status == "InProgress")
    #expect(try store.job(named: "ended")?.status == "Completed")
}
