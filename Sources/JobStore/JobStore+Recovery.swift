import Foundation
import GRDB

extension JobStore {
    /// Records that `runner` runs the job from now on.
    public func claim(jobId: Int64, by runner: RunnerProcess) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE processing_jobs SET runnerPid = ?, runnerStartTime = ? WHERE id = ?",
                           arguments: [runner.pid, runner.startTime, jobId])
        }
    }

    /// Ends Failed, with `reason`, every job that has not ended but whose runner is gone: a server or a
    /// runner killed while the job ran. Jobs no runner has claimed yet are left alone for `grace` seconds
    /// after their creation. Returns the names of the jobs it failed.
    @discardableResult
    public func failOrphans(reason: String, now: Double, grace: Double = 60) throws -> [String] {
        let open = try database.read { db in
            try ProcessingJobRecord.filter(["InProgress", "Stopping"].contains(Column("status"))).fetchAll(db)
        }
        var failed: [String] = []
        for job in open {
            let orphaned = if let pid = job.runnerPid, let start = job.runnerStartTime {
                !RunnerProcess(pid: pid, startTime: start).isAlive
            } else {
                now - job.creationTime > grace
            }
            guard orphaned else { continue }
            do {
                try update(jobId: job.id!, at: now, event: "The process that ran the job is gone") { record in
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
