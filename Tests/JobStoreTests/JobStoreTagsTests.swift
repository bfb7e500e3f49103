import Foundation
import GRDB
import JobStore
import Testing

/// Tags on a real SQLite file: upsert, removal, key order, the per-job limit and the cascade on delete.
@Suite struct JobStoreTagsTests {
    let store: JobStore

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jobstore-tags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: folder.appending(path: "sagebox.sqlite").path)
        var migrator = DatabaseMigrator()
        JobStore.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        store = JobStore(database: pool)
    }

    private func newJob(_ name: String, tags: [(key: String, value: String)] = []) throws -> JobRecord {
        let record = JobRecord(
            name: name, arn: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/\(name)", status: .completed,
            request: "{}", creationTime: 1, lastModifiedTime: 1, folder: name)
        return try store.insert(record, event: "Created", tags: tags)
    }

    private func pairs(_ tags: [JobTagRecord]) -> [String] { tags.map { "\($0.key)=\($0.value)" } }

    @Test func createdTagsAreListedInKeyOrderAndUpserted() throws {
        let job = try newJob("a", tags: [(key: "team", value: "ml"), (key: "env", value: "dev")])
        #expect(pairs(try store.tags(jobId: job.id!)) == ["env=dev", "team=ml"])
        let all = try store.setTags([(key: "env", value: "prod"), (key: "cost", value: "42")], jobId: job.id!)
        #expect(pairs(all) == ["cost=42", "env=prod", "team=ml"])
        #expect(pairs(try store.tags(jobId: job.id!, afterKey: "cost", limit: 1)) == ["env=prod"])
        try store.removeTags(keys: ["env", "absent"], jobId: job.id!)
        #expect(pairs(try store.tags(jobId: job.id!)) == ["cost=42", "team=ml"])
    }

    @Test func tagsBelongToTheirOwnJob() throws {
        let first = try newJob("first", tags: [(key: "k", value: "1")])
        let second = try newJob("second", tags: [(key: "k", value: "2")])
        try store.removeTags(keys: ["k"], jobId: first.id!)
        #expect(try store.tags(jobId: first.id!).isEmpty)
        #expect(pairs(try store.tags(jobId: second.id!)) == ["k=2"])
    }

    @Test func goingOverTheLimitWritesNothing() throws {
        let job = try newJob("full", tags: (0..<49).map { (key: "k\($0)", value: "v") })
        #expect(throws: JobTagLimitExceeded(resultingCount: 51, limit: 50)) {
            try store.setTags([(key: "new1", value: "v"), (key: "new2", value: "v")], jobId: job.id!)
        }
        #expect(try store.tags(jobId: job.id!).count == 49)
        // Overwriting an existing key does not count against the limit.
        try store.setTags([(key: "k0", value: "changed"), (key: "new1", value: "v")], jobId: job.id!)
        #expect(try store.tags(jobId: job.id!).count == 50)
        #expect(try store.tags(jobId: job.id!).first { $0.key == "k0" }?.value == "changed")
    }

    @Test func deletingTheJobDeletesItsTags() throws {
        let job = try newJob("gone", tags: [(key: "a", value: "1"), (key: "b", value: "2")])
        try store.delete(named: "gone")
        let left = try store.database.read { db in try JobTagRecord.filter(Column("jobId") == job.id!).fetchCount(db) }
        #expect(left == 0)
        #expect(throws: JobStoreError.noSuchJob(name: "#\(job.id!)")) { try store.setTags([(key: "a", value: "1")], jobId: job.id!) }
        // A new job of the same name starts with no tags.
        let again = try newJob("gone")
        #expect(try store.tags(jobId: again.id!).isEmpty)
    }
}
