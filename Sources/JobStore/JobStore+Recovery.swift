import Foundation
import GRDB
import ProcessIdentity

extension JobStore {
    /// Records that `runner` runs the job from now on.
    public func claim(jobId: Int64, by runner: ProcessIdentity) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE processing_jobs SET runnerPid = ?, runnerStartTime = ? WHERE id = ?",
                           arguments: [runner.pid, runner.startTime, jobId])
        }
    }

    /// Ends Failed, with `reason`, every job that has not ended but whose owner is gone: its runner, or
    /// its creator before a runner claimed it (a server or a runner killed while the job ran). Jobs
    /// recorded without an owner (by an older sagebox) are left alone for `grace` seconds after their
    /// creation. Returns the names of the jobs it failed.
    @discardableResult
    public func failOrphans(reason: String, now: Double, grace: Double = 60) throws -> [String] {
        let open = try database.read { db in
            try ProcessingJobRecord.filter(["InProgress", "Stopping"].contains(Column("status"))).fetchAll(db)
        }
        let orphans = open.filter { job in
            if let pid = job.runnerPid, let start = job.runnerStartTime {
                !ProcessIdentity(pid: pid, startTime: start).isAlive
            } else {
                now - job.creationTime > grace
            }
        }
        return try fail(orphans, reason: reason, now: now, event: "The process that ran the job is gone")
    }

    /// Ends Failed, with `reason`, every job that `runner` runs and that has not ended: what a server does
    /// to its jobs when it is told to shut down. Returns the names of the jobs it failed.
    @discardableResult
    public func failJobs(runBy runner: ProcessIdentity, reason: String, now: Double) throws -> [String] {
        let open = try database.read { db in
            try ProcessingJobRecord.filter(["InProgress", "Stopping"].contains(Column("status")))
                .filter(Column("runnerPid") == runner.pid && Column("runnerStartTime") == runner.startTime).fetchAll(db)
        }
        return try fail(open, reason: reason, now: now, event: "The process that ran the job is shutting down")
    }

    private func fail(_ jobs: [ProcessingJobRecord], reason: String, now: Double, event: String) throws -> [String] {
        var failed: [String] = []
        for job in jobs {
            do {
                try update(jobId: job.id!, at: now, event: event) { record in
                    // The runner may have ended the job since it was read: then nothing changes.
                    guard !record.isTerminal else { throw JobStoreError.wrongStatus(name: record.name, status: record.status) }
                    record.status = "Failed"
                    record.failureReason = reason
                    record.processingEndTime = now
                }
                failed.append(job.name)
            } catch JobStoreError.wrongStatus {
                continue
            }
        }
        return failed
    }
}
