import Foundation
import GRDB
import ProcessIdentity

extension JobStore {
    /// Records that `runner` runs the job from now on.
    public func claim(jobId: Int64, by runner: ProcessIdentity) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET runnerPid = ?, runnerStartTime = ? WHERE id = ?",
                           arguments: [runner.pid, runner.startTime, jobId])
        }
    }

    /// The jobs that have not ended (InProgress or Stopping), of either kind.
    public func openJobs() throws -> [JobRecord] {
        try database.read { db in
            try JobRecord.filter([JobStatus.inProgress, .stopping].contains(JobRecord.Columns.status)).fetchAll(db)
        }
    }

    /// Ends, with `end` (the lifecycle's "runner lost" transition), every job that has not ended but whose
    /// owner is gone: its runner, or its creator before a runner claimed it (a server or a runner killed
    /// while the job ran). Jobs recorded without an owner (by an older sagebox) are left alone for `grace`
    /// seconds after their creation. Returns the jobs it ended.
    @discardableResult
    public func endOrphans(now: Double, grace: Double = 60, _ end: (inout JobRecord) -> Void) throws -> [JobRecord] {
        let open = try openJobs()
        let orphans = open.filter { job in
            if let pid = job.runnerPid, let start = job.runnerStartTime {
                !ProcessIdentity(pid: pid, startTime: start).isAlive
            } else {
                now - job.creationTime > grace
            }
        }
        return try self.end(orphans, now: now, event: "The process that ran the job is gone", end)
    }

    /// Ends, with `end`, every job that `runner` runs and that has not ended: what a server does to its
    /// jobs when it is told to shut down. Returns the jobs it ended.
    @discardableResult
    public func endJobs(runBy runner: ProcessIdentity, now: Double, _ end: (inout JobRecord) -> Void) throws -> [JobRecord] {
        let open = try database.read { db in
            try JobRecord.filter([JobStatus.inProgress, .stopping].contains(JobRecord.Columns.status))
                .filter(JobRecord.Columns.runnerPid == runner.pid && JobRecord.Columns.runnerStartTime == runner.startTime).fetchAll(db)
        }
        return try self.end(open, now: now, event: "The process that ran the job is shutting down", end)
    }

    private func end(_ jobs: [JobRecord], now: Double, event: String, _ end: (inout JobRecord) -> Void) throws -> [JobRecord] {
        var ended: [JobRecord] = []
        for job in jobs {
            do {
                ended.append(try update(jobId: job.id!, at: now, event: event) { record in
                    // The runner may have ended the job since it was read: then nothing changes.
                    guard !record.isTerminal else { throw JobStoreError.wrongStatus(name: record.name, status: record.status.rawValue) }
                    end(&record)
                })
            } catch JobStoreError.wrongStatus {
                continue
            }
        }
        return ended
    }
}
