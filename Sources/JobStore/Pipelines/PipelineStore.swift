import GRDB
import SageMakerAPI
import ProcessIdentity

/// Pipelines, their definition versions, executions and steps, in the root's SQLite database (beside
/// the jobs and models). Tags of pipelines are kept by ARN in the registry's `resource_tags`.
public struct PipelineStore: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    // MARK: Pipelines

    /// Inserts a pipeline with its first definition version and its tags; `alreadyExists` when the ARN is taken.
    @discardableResult
    public func insert(_ pipeline: PipelineRecord, definition: String, tags: [(key: String, value: String)] = []) throws -> PipelineRecord {
        try database.write { db in
            if try PipelineRecord.filter(Column("arn") == pipeline.arn).fetchCount(db) > 0 {
                throw PipelineStoreError.alreadyExists(arn: pipeline.arn)
            }
            var pipeline = pipeline
            try pipeline.insert(db)
            try PipelineVersionRecord(pipelineId: pipeline.id!, version: pipeline.latestVersion, definition: definition,
                                      creationTime: pipeline.creationTime).insert(db)
            for tag in tags { try ResourceTagRecord(arn: pipeline.arn, key: tag.key, value: tag.value).upsert(db) }
            return pipeline
        }
    }

    public func pipeline(arn: String) throws -> PipelineRecord? {
        try database.read { db in try PipelineRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    public func pipeline(id: Int64) throws -> PipelineRecord? {
        try database.read { db in try PipelineRecord.fetchOne(db, key: id) }
    }

    /// Applies `change` and, when `definition` is given, adds it as the next version; nil when there is no such pipeline.
    @discardableResult
    public func update(arn: String, definition: String?, at time: Double, _ change: (inout PipelineRecord) -> Void) throws -> PipelineRecord? {
        try database.write { db in
            guard var pipeline = try PipelineRecord.filter(Column("arn") == arn).fetchOne(db) else { return nil }
            change(&pipeline)
            pipeline.lastModifiedTime = time
            if let definition {
                pipeline.latestVersion += 1
                try PipelineVersionRecord(pipelineId: pipeline.id!, version: pipeline.latestVersion, definition: definition, creationTime: time).insert(db)
            }
            try pipeline.update(db)
            return pipeline
        }
    }

    /// Deletes the pipeline, its versions, executions, steps and tags; false when there was none;
    /// `hasRunningExecutions` (and nothing deleted) while any execution is Executing or Stopping.
    @discardableResult
    public func deletePipeline(arn: String) throws -> Bool {
        try database.write { db in
            guard let pipeline = try PipelineRecord.filter(Column("arn") == arn).fetchOne(db) else { return false }
            let running = try PipelineExecutionRecord
                .filter(Column("pipelineId") == pipeline.id && [PipelineExecutionStatus.executing, .stopping].contains(Column("status"))).fetchCount(db)
            if running > 0 { throw PipelineStoreError.hasRunningExecutions(arn: arn, count: running) }
            try ResourceTagRecord.filter(Column("arn") == arn).deleteAll(db)
            return try pipeline.delete(db)
        }
    }

    public func pipelines(_ query: RegistryListQuery) throws -> (rows: [PipelineRecord], more: Bool) {
        try database.read { db in try query.page(PipelineRecord.all(), in: db) }
    }

    /// The pipeline's versions, newest first.
    public func versions(pipelineId: Int64) throws -> [PipelineVersionRecord] {
        try database.read { db in
            try PipelineVersionRecord.filter(Column("pipelineId") == pipelineId).order(Column("version").desc).fetchAll(db)
        }
    }

    public func version(_ version: Int, pipelineId: Int64) throws -> PipelineVersionRecord? {
        try database.read { db in
            try PipelineVersionRecord.filter(Column("pipelineId") == pipelineId && Column("version") == version).fetchOne(db)
        }
    }

    // MARK: Executions

    /// Records a new execution and the pipeline's LastRunTime, in one transaction. When an execution of the
    /// pipeline already carries the same ClientRequestToken (a retried request), returns that one instead,
    /// with `created` false.
    public func insert(_ execution: PipelineExecutionRecord) throws -> (execution: PipelineExecutionRecord, created: Bool) {
        try database.write { db in
            if let token = execution.clientRequestToken,
               let earlier = try PipelineExecutionRecord.filter(Column("pipelineId") == execution.pipelineId && Column("clientRequestToken") == token).fetchOne(db) {
                return (earlier, false)
            }
            var execution = execution
            try execution.insert(db)
            try db.execute(sql: "UPDATE pipelines SET lastRunTime = ? WHERE id = ?", arguments: [execution.creationTime, execution.pipelineId])
            return (execution, true)
        }
    }

    public func execution(arn: String) throws -> PipelineExecutionRecord? {
        try database.read { db in try PipelineExecutionRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// The execution whose ARN ends with this 12-character id.
    public func execution(executionId: String) throws -> PipelineExecutionRecord? {
        try database.read { db in try PipelineExecutionRecord.filter(Column("executionId") == executionId).fetchOne(db) }
    }

    /// The pipeline's newest execution.
    public func newestExecution(pipelineId: Int64) throws -> PipelineExecutionRecord? {
        try database.read { db in
            try PipelineExecutionRecord.filter(Column("pipelineId") == pipelineId)
                .order(Column("creationTime").desc, Column("id").desc).fetchOne(db)
        }
    }

    /// Applies `change` to the execution in one transaction; nil when there is none.
    @discardableResult
    public func updateExecution(arn: String, _ change: (inout PipelineExecutionRecord) throws -> Void) throws -> PipelineExecutionRecord? {
        try database.write { db in
            guard var execution = try PipelineExecutionRecord.filter(Column("arn") == arn).fetchOne(db) else { return nil }
            try change(&execution)
            try execution.update(db)
            return execution
        }
    }

    /// The pipeline's executions, in the query's order and page (the name order is not offered).
    public func executions(pipelineId: Int64, _ query: RegistryListQuery) throws -> (rows: [PipelineExecutionRecord], more: Bool) {
        try database.read { db in try query.page(PipelineExecutionRecord.filter(Column("pipelineId") == pipelineId), in: db) }
    }

    /// The executions that have not ended (Executing or Stopping), of every pipeline.
    public func openExecutions() throws -> [PipelineExecutionRecord] {
        try database.read { db in
            try PipelineExecutionRecord.filter([PipelineExecutionStatus.executing, .stopping].contains(Column("status"))).fetchAll(db)
        }
    }

    /// Ends Failed, with `reason`, every execution that has not ended and whose runner is gone (a server
    /// killed mid-execution), or with `runBy` every one that this runner runs (a server shutting down),
    /// and the steps it left running; returns their ARNs.
    @discardableResult
    public func failOrphanExecutions(now: Double, reason: String, runBy owner: ProcessIdentity? = nil) throws -> [String] {
        try database.write { db in
            let open = try PipelineExecutionRecord.filter([PipelineExecutionStatus.executing, .stopping].contains(Column("status"))).fetchAll(db)
            var ended: [String] = []
            for var execution in open {
                let runner = execution.runnerPid.flatMap { pid in execution.runnerStartTime.map { ProcessIdentity(pid: pid, startTime: $0) } }
                if let owner {
                    if runner != owner { continue }
                } else if let runner, runner.isAlive {
                    continue
                }
                execution.status = .failed
                execution.failureReason = reason
                execution.endTime = now
                execution.lastModifiedTime = now
                try execution.update(db)
                try db.execute(sql: """
                    UPDATE pipeline_execution_steps SET status = 'Failed', endTime = ?, failureReason = ?
                    WHERE executionId = ? AND status IN ('Starting', 'Executing', 'Stopping')
                    """, arguments: [now, reason, execution.id])
                ended.append(execution.arn)
            }
            return ended
        }
    }

    // MARK: Steps

    /// Inserts or replaces the step's row (one per step and execution).
    public func save(_ step: PipelineStepRecord) throws {
        try database.write { db in try step.save(db) }
    }

    /// The execution's steps, newest first (ListPipelineExecutionSteps' default order).
    public func steps(executionId: Int64) throws -> [PipelineStepRecord] {
        try database.read { db in
            try PipelineStepRecord.filter(Column("executionId") == executionId).order(Column("startIndex").desc).fetchAll(db)
        }
    }

    /// Successful runs of a step of this pipeline that can serve as cache hits: each with the ARN of
    /// its execution. Cache hits themselves are left out (their source is the run to reuse).
    public func successfulRuns(pipelineId: Int64, stepName: String) throws -> [(step: PipelineStepRecord, executionArn: String)] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.*, e.arn AS executionArn FROM pipeline_execution_steps s
                JOIN pipeline_executions e ON e.id = s.executionId
                WHERE e.pipelineId = ? AND s.name = ? AND s.status = ? AND s.cacheKey IS NOT NULL
                  AND s.cacheSourceExecutionArn IS NULL AND s.endTime IS NOT NULL
                """, arguments: [pipelineId, stepName, StepStatus.succeeded])
            return try rows.map { (try PipelineStepRecord(row: $0), $0["executionArn"]) }
        }
    }
}

/// Why the pipeline store refused a change; the service words each one as AWS does.
public enum PipelineStoreError: Error, Sendable, Equatable {
    case alreadyExists(arn: String)
    /// DeletePipeline while executions of the pipeline run.
    case hasRunningExecutions(arn: String, count: Int)
}
