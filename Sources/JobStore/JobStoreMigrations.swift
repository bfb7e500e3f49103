import GRDB

extension JobStore {
    /// Registers the job store's schema. Identifiers start with `jobs.`; never edit a shipped
    /// migration, add a new one.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("jobs.v1") { db in
            try db.create(table: "processing_jobs") { t in
                t.autoIncrementedPrimaryKey("id")
                // A name stays taken until DeleteProcessingJob removes the row.
                t.column("name", .text).notNull().unique()
                t.column("arn", .text).notNull()
                t.column("status", .text).notNull()
                t.column("request", .text).notNull()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
                t.column("processingStartTime", .double)
                t.column("processingEndTime", .double)
                t.column("failureReason", .text)
                t.column("exitMessage", .text)
                t.column("folder", .text).notNull()
                t.column("stopRequested", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "processing_jobs_by_creation", on: "processing_jobs", columns: ["creationTime", "id"])
            try db.create(index: "processing_jobs_by_status", on: "processing_jobs", columns: ["status"])

            try db.create(table: "processing_job_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("job", inTable: "processing_jobs", onDelete: .cascade).notNull()
                t.column("time", .double).notNull()
                t.column("status", .text)
                t.column("message", .text).notNull()
            }
            try db.create(table: "processing_job_instances") { t in
                t.belongsTo("job", inTable: "processing_jobs", onDelete: .cascade).notNull()
                t.column("host", .text).notNull()
                t.column("logStream", .text).notNull()
                t.column("startTime", .double)
                t.column("endTime", .double)
                t.column("exitCode", .integer)
                t.column("signal", .integer)
                t.primaryKey(["jobId", "host"])
            }
            try db.create(table: "log_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("job", inTable: "processing_jobs", onDelete: .cascade).notNull()
                t.column("logStream", .text).notNull()
                t.column("timestamp", .integer).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(index: "log_events_by_stream", on: "log_events", columns: ["logStream", "id"])
        }
        migrator.registerMigration("jobs.v2.runner") { db in
            try db.alter(table: "processing_jobs") { t in
                t.add(column: "runnerPid", .integer)
                t.add(column: "runnerStartTime", .integer)
            }
        }
        migrator.registerMigration("jobs.v3.tags") { db in
            try db.create(table: "processing_job_tags") { t in
                t.belongsTo("job", inTable: "processing_jobs", onDelete: .cascade).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["jobId", "key"])
            }
        }
        // ListProcessingJobs pages with StatusEquals: without these, SQLite finds the matches through
        // processing_jobs_by_status and then sorts every one of them (a temporary B-tree) for each page.
        // With the status first and the sort key after it, a page is an index range read in order.
        // (The unique index on name serves SortBy Name without a filter; processing_jobs_by_creation
        // the default order; processing_jobs_by_status SortBy Status; the id is in every index.)
        migrator.registerMigration("jobs.v4.list-indexes") { db in
            try db.create(index: "processing_jobs_by_status_creation", on: "processing_jobs",
                          columns: ["status", "creationTime", "id"])
            try db.create(index: "processing_jobs_by_status_name", on: "processing_jobs", columns: ["status", "name"])
        }
        // Training jobs share the processing jobs' table, timeline, instances, logs and tags (one lifecycle,
        // one runner). Names are unique per kind, as on AWS, which an SQLite UNIQUE constraint cannot be
        // changed in place: the table is rebuilt (SQLite's documented steps: create, copy, drop, rename; the
        // old table is renamed to `jobs` first, which moves the child tables' foreign keys along).
        migrator.registerMigration("jobs.v5.kinds") { db in
            try db.rename(table: "processing_jobs", to: "jobs")
            try db.rename(table: "processing_job_events", to: "job_events")
            try db.rename(table: "processing_job_instances", to: "job_instances")
            try db.rename(table: "processing_job_tags", to: "job_tags")
            try db.create(table: "jobs_v5") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("arn", .text).notNull()
                t.column("status", .text).notNull()
                t.column("secondaryStatus", .text)
                t.column("request", .text).notNull()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
                t.column("startTime", .double)
                t.column("endTime", .double)
                t.column("failureReason", .text)
                t.column("exitMessage", .text)
                t.column("folder", .text).notNull()
                t.column("stopRequested", .boolean).notNull().defaults(to: false)
                t.column("runnerPid", .integer)
                t.column("runnerStartTime", .integer)
                t.column("finalMetrics", .text)
                // A name stays taken until Delete...Job removes the row.
                t.uniqueKey(["kind", "name"])
            }
            try db.execute(sql: """
                INSERT INTO jobs_v5 (id, kind, name, arn, status, request, creationTime, lastModifiedTime, startTime, endTime,
                                  failureReason, exitMessage, folder, stopRequested, runnerPid, runnerStartTime)
                SELECT id, 'ProcessingJob', name, arn, status, request, creationTime, lastModifiedTime, processingStartTime,
                       processingEndTime, failureReason, exitMessage, folder, stopRequested, runnerPid, runnerStartTime
                FROM jobs
                """)
            try db.drop(table: "jobs")
            try db.rename(table: "jobs_v5", to: "jobs")
            // The listing indexes of jobs.v4, each behind the kind every listing filters on.
            try db.create(index: "jobs_by_creation", on: "jobs", columns: ["kind", "creationTime", "id"])
            try db.create(index: "jobs_by_status_creation", on: "jobs", columns: ["kind", "status", "creationTime", "id"])
            try db.create(index: "jobs_by_status_name", on: "jobs", columns: ["kind", "status", "name"])
            try db.create(index: "jobs_by_status", on: "jobs", columns: ["kind", "status"])
            try db.create(table: "secondary_status_transitions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("job", inTable: "jobs", onDelete: .cascade).notNull()
                t.column("status", .text).notNull()
                t.column("startTime", .double).notNull()
                t.column("endTime", .double)
                t.column("statusMessage", .text).notNull()
            }
        }
    }
}
