import GRDB

extension PipelineStore {
    /// Registers the pipelines' schema, on the same database as the jobs and models. Identifiers start
    /// with `pipelines.`; never edit a shipped migration, add a new one.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("pipelines.v1") { db in
            try db.create(table: "pipelines") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("arn", .text).notNull().unique()
                t.column("displayName", .text)
                t.column("pipelineDescription", .text)
                t.column("roleArn", .text).notNull()
                t.column("maxParallelExecutionSteps", .integer)
                t.column("latestVersion", .integer).notNull()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
                t.column("lastRunTime", .double)
            }
            try db.create(table: "pipeline_versions") { t in
                t.belongsTo("pipeline", inTable: "pipelines", onDelete: .cascade).notNull()
                t.column("version", .integer).notNull()
                t.column("definition", .text).notNull()
                t.column("creationTime", .double).notNull()
                t.primaryKey(["pipelineId", "version"])
            }
            try db.create(table: "pipeline_executions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("pipeline", inTable: "pipelines", onDelete: .cascade).notNull()
                t.column("arn", .text).notNull().unique()
                t.column("executionId", .text).notNull()
                t.column("displayName", .text).notNull()
                t.column("executionDescription", .text)
                t.column("status", .text).notNull()
                t.column("failureReason", .text)
                t.column("givenParameters", .text).notNull()
                t.column("resolvedParameters", .text).notNull()
                t.column("maxParallelExecutionSteps", .integer)
                t.column("pipelineVersion", .integer).notNull()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
                t.column("endTime", .double)
                t.column("stopRequested", .boolean).notNull().defaults(to: false)
                t.column("runnerPid", .integer)
                t.column("runnerStartTime", .integer)
                t.column("experimentName", .text)
                t.column("trialName", .text)
                // A retried StartPipelineExecution (the same token) answers with the execution it started.
                t.column("clientRequestToken", .text)
            }
            try db.create(index: "pipeline_executions_by_pipeline", on: "pipeline_executions", columns: ["pipelineId", "creationTime"])
            try db.create(table: "pipeline_execution_steps") { t in
                t.belongsTo("execution", inTable: "pipeline_executions", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("displayName", .text)
                t.column("stepDescription", .text)
                t.column("status", .text).notNull()
                t.column("startIndex", .integer).notNull()
                t.column("startTime", .double).notNull()
                t.column("endTime", .double)
                t.column("failureReason", .text)
                t.column("metadata", .text)
                t.column("properties", .text)
                t.column("attemptCount", .integer).notNull()
                t.column("cacheSourceExecutionArn", .text)
                t.column("cacheKey", .text)
                t.column("jobName", .text)
                t.primaryKey(["executionId", "name"])
            }
        }
        migrator.registerMigration("pipelines.v2.retry-token") { db in
            // A repeated RetryPipelineExecution (the same token) answers again without running the execution twice.
            try db.alter(table: "pipeline_executions") { t in t.add(column: "retryRequestToken", .text) }
        }
    }
}
