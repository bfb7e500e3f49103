import Foundation
import GRDB
import JobStore
import ProcessIdentity
import SageMakerAPI
import Testing

/// The pipelines' store on a real SQLite file: versions, a retried start, the refused delete while an
/// execution runs, the cascade of a delete, the runs a cache may reuse, and executions whose runner died.
@Suite struct PipelineStoreTests {
    let store: PipelineStore
    let models: ModelStore

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "pipelinestore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: folder.appending(path: "sagebox.sqlite").path)
        var migrator = DatabaseMigrator()
        JobStore.registerMigrations(in: &migrator)
        ModelStore.registerMigrations(in: &migrator)
        PipelineStore.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        store = PipelineStore(database: pool)
        models = ModelStore(database: pool)
    }

    private func pipeline(_ name: String = "p") throws -> PipelineRecord {
        try store.insert(PipelineRecord(name: name, arn: "arn:pipeline/\(name)", roleArn: "role", creationTime: 1, lastModifiedTime: 1),
                         definition: "{\"v\": 1}", tags: [(key: "team", value: "ml")])
    }

    private func execution(_ pipeline: PipelineRecord, _ id: String, status: PipelineExecutionStatus = .executing, token: String? = nil,
                           runner: ProcessIdentity? = ProcessIdentity.current) throws -> (execution: PipelineExecutionRecord, created: Bool) {
        try store.insert(PipelineExecutionRecord(
            pipelineId: pipeline.id!, arn: "\(pipeline.arn)/execution/\(id)", executionId: id, displayName: id, status: status,
            givenParameters: "[]", resolvedParameters: "{}", pipelineVersion: pipeline.latestVersion, creationTime: 2,
            lastModifiedTime: 2, runnerPid: runner?.pid, runnerStartTime: runner?.startTime, clientRequestToken: token))
    }

    @Test func versionsGrowWithEachNewDefinition() throws {
        let created = try pipeline()
        #expect(throws: PipelineStoreError.alreadyExists(arn: created.arn)) { try pipeline() }
        let updated = try #require(try store.update(arn: created.arn, definition: "{\"v\": 2}", at: 5) { $0.pipelineDescription = "two" })
        #expect(updated.latestVersion == 2 && updated.lastModifiedTime == 5)
        #expect(try store.update(arn: created.arn, definition: nil, at: 6) { _ in }?.latestVersion == 2)
        #expect(try store.versions(pipelineId: created.id!).map(\.definition) == ["{\"v\": 2}", "{\"v\": 1}"])
        #expect(try models.tags(arn: created.arn).map(\.key) == ["team"])
    }

    @Test func aRetriedStartReturnsTheFirstExecution() throws {
        let created = try pipeline()
        let first = try execution(created, "aaa", token: "token")
        let again = try execution(created, "bbb", token: "token")
        #expect(first.created && !again.created)
        #expect(again.execution.arn == first.execution.arn)
        #expect(try execution(created, "ccc", token: "other").created)
    }

    @Test func deleteWaitsForRunningExecutionsThenTakesEverything() throws {
        let created = try pipeline()
        let running = try execution(created, "aaa").execution
        try store.save(PipelineStepRecord(executionId: running.id!, name: "A", type: "Processing", status: .executing, startIndex: 0, startTime: 3))
        #expect(throws: PipelineStoreError.hasRunningExecutions(arn: created.arn, count: 1)) { try store.deletePipeline(arn: created.arn) }
        try store.updateExecution(arn: running.arn) { $0.status = .succeeded }
        #expect(try store.deletePipeline(arn: created.arn))
        #expect(try store.execution(arn: running.arn) == nil)
        #expect(try store.steps(executionId: running.id!).isEmpty)
        #expect(try models.tags(arn: created.arn).isEmpty)
        #expect(try !store.deletePipeline(arn: created.arn))
    }

    @Test func onlyFirstHandSuccessfulRunsWithAKeyServeTheCache() throws {
        let created = try pipeline()
        let first = try execution(created, "aaa", status: .succeeded).execution
        let second = try execution(created, "bbb", status: .succeeded).execution
        try store.save(PipelineStepRecord(executionId: first.id!, name: "A", type: "Processing", status: .succeeded, startIndex: 0,
                                          startTime: 3, endTime: 4, properties: "{}", cacheKey: "{\"k\":1}"))
        // A hit of the first, a failed run and a step without a key are not runs to reuse.
        try store.save(PipelineStepRecord(executionId: second.id!, name: "A", type: "Processing", status: .succeeded, startIndex: 0,
                                          startTime: 5, endTime: 5, cacheSourceExecutionArn: first.arn, cacheKey: "{\"k\":1}"))
        try store.save(PipelineStepRecord(executionId: second.id!, name: "B", type: "Processing", status: .failed, startIndex: 1,
                                          startTime: 5, endTime: 6, cacheKey: "{\"k\":1}"))
        let runs = try store.successfulRuns(pipelineId: created.id!, stepName: "A")
        #expect(runs.map(\.executionArn) == [first.arn])
        #expect(try store.successfulRuns(pipelineId: created.id!, stepName: "B").isEmpty)
    }

    @Test func executionsWhoseRunnerDiedEndFailedWithTheirRunningSteps() throws {
        let created = try pipeline()
        let mine = try execution(created, "mine").execution
        let orphan = try execution(created, "orphan", runner: ProcessIdentity(pid: Int(Int32.max), startTime: 1)).execution
        try store.save(PipelineStepRecord(executionId: orphan.id!, name: "A", type: "Processing", status: .executing, startIndex: 0, startTime: 3))
        try store.save(PipelineStepRecord(executionId: orphan.id!, name: "B", type: "Processing", status: .succeeded, startIndex: 1,
                                          startTime: 3, endTime: 4))
        #expect(try store.failOrphanExecutions(now: 9, reason: "gone") == [orphan.arn])
        let ended = try #require(try store.execution(arn: orphan.arn))
        #expect(ended.status == .failed && ended.failureReason == "gone" && ended.endTime == 9)
        #expect(try store.steps(executionId: orphan.id!).map { "\($0.name) \($0.status.rawValue)" } == ["B Succeeded", "A Failed"])
        #expect(try store.execution(arn: mine.arn)?.status == .executing)
    }
}
