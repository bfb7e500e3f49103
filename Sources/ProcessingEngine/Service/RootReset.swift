import Foundation
import GRDB
import JobStore
import SageMakerAPI

/// Empties a root between tests (`POST /_sagebox/reset`, and moto's `/moto-api/reset`): every running job
/// and pipeline execution is stopped and waited for, then buckets, objects, jobs, pipelines and models are
/// deleted, rows and files alike. What a job left in its folders is removed without following any link
/// (`TreeRemoval`), so a job that linked a host folder into its own loses the link, never the folder.
public struct RootReset: Sendable {
    public let root: SageboxRoot
    /// How long to wait for the stopped jobs and executions to end (their runners' stop grace and upload).
    public let timeout: TimeInterval

    public init(root: SageboxRoot, timeout: TimeInterval) {
        self.root = root
        self.timeout = timeout
    }

    /// What a reset did, for its answer.
    public struct Summary: Sendable, Codable {
        public var stoppedJobs: [String] = []
        public var stoppedPipelineExecutions: [String] = []
    }

    public enum Failure: Error, CustomStringConvertible {
        case stillRunning(jobs: [String], executions: [String], seconds: TimeInterval)
        case leftovers(TreeRemoval.Leftovers)

        public var description: String {
            switch self {
            case let .stillRunning(jobs, executions, seconds):
                "after \(Int(seconds)) s, still running: " + (jobs + executions).joined(separator: ", ") + "; nothing was deleted"
            case let .leftovers(leftovers):
                "the root was emptied but \(leftovers)"
            }
        }
    }

    /// Stops, waits, empties. Blocking: call it off the concurrency pool.
    public func run() throws -> Summary {
        let summary = try stopEverything()
        try waitUntilEnded()
        try empty()
        return summary
    }

    /// Asks every open job and execution to stop, as Stop...Job and StopPipelineExecution do: their runners
    /// (in this process or another sharing the root) see it and stop them.
    private func stopEverything() throws -> Summary {
        var summary = Summary()
        let pipelines = PipelineService(root: root)
        for execution in try root.pipelines.openExecutions() where execution.status == .executing {
            var request = StopPipelineExecutionRequest()
            request.pipelineExecutionArn = execution.arn
            request.clientRequestToken = UUID().uuidString
            // Ended meanwhile: nothing to stop.
            if (try? pipelines.stopPipelineExecution(request)) != nil { summary.stoppedPipelineExecutions.append(execution.arn) }
        }
        let jobs = JobService(root: root)
        // Jobs whose runner died end Failed now rather than being waited for.
        try jobs.failInterruptedJobs()
        for job in try root.jobs.openJobs() where job.status == .inProgress {
            if (try? jobs.stop(job, noun: "job")) != nil { summary.stoppedJobs.append(job.name) }
        }
        return summary
    }

    private func waitUntilEnded() throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let jobs = try root.jobs.openJobs()
            let executions = try root.pipelines.openExecutions()
            if jobs.isEmpty && executions.isEmpty { return }
            guard Date() < deadline else {
                throw Failure.stillRunning(jobs: jobs.map(\.name), executions: executions.map(\.arn), seconds: timeout)
            }
            // A pipeline step may start a job after the first round of stops: stop it too.
            let service = JobService(root: root)
            try service.failInterruptedJobs()
            for job in jobs where job.status == .inProgress { try? service.stop(job, noun: "job") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Deletes every row but the schema's, and every bucket and job folder, in one IMMEDIATE transaction:
    /// the root's write lock keeps every other writer (S3 uploads, a CLI) out until it is done.
    private func empty() throws {
        var leftovers = TreeRemoval.Leftovers()
        try root.database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                // Rows referring to one another are deleted in any order: the checks run at COMMIT.
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table'
                    AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                    """)
                for table in tables { try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)") }
                for folder in [root.bucketsURL, root.jobsURL] {
                    do { try TreeRemoval.empty(folder) } catch let left as TreeRemoval.Leftovers { leftovers.items += left.items }
                }
                // The formatted volume templates are a cache, not state: kept, as formatting costs time.
                for name in (try? FileManager.default.contentsOfDirectory(atPath: root.temporaryURL.path)) ?? []
                where name != "volume-templates" {
                    do { try TreeRemoval.remove(root.temporaryURL.appending(path: name)) } catch let left as TreeRemoval.Leftovers {
                        leftovers.items += left.items
                    }
                }
                return .commit
            }
        }
        if !leftovers.isEmpty { throw Failure.leftovers(leftovers) }
    }
}
