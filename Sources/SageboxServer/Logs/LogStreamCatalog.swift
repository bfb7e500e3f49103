import JobStore

/// The log streams of the group `/aws/sagemaker/ProcessingJobs`, as the job store knows them: one
/// stream `{job}/algo-N-{epoch}` per instance of each job, present once the instance has started.
struct LogStreamCatalog: Sendable {
    static let groupName = "/aws/sagemaker/ProcessingJobs"

    let jobs: JobStore

    /// The streams whose names start with `prefix`, sorted by name. A prefix holding `/` names one job,
    /// so only that job is read.
    func streams(prefix: String) throws -> [JobInstanceRecord] {
        var found: [JobInstanceRecord] = []
        if let slash = prefix.firstIndex(of: "/") {
            if let job = try jobs.job(named: String(prefix[..<slash])), let id = job.id {
                found = try jobs.instances(jobId: id).filter { $0.logStream.hasPrefix(prefix) }
            }
        } else {
            try forEachJob { job in
                guard job.name.hasPrefix(prefix), let id = job.id else { return }
                found += try jobs.instances(jobId: id)
            }
        }
        return found.sorted { $0.logStream.utf8.lexicographicallyPrecedes($1.logStream.utf8) }
    }

    /// The stream named `name`, or nil.
    func stream(named name: String) throws -> JobInstanceRecord? {
        guard let slash = name.firstIndex(of: "/"), let job = try jobs.job(named: String(name[..<slash])), let id = job.id else {
            return nil
        }
        return try jobs.instances(jobId: id).first { $0.logStream == name }
    }

    /// Every event of `stream` after `afterId` that passes `include`, read in pages, in id order;
    /// `body` returns false to stop.
    func scan(stream: String, afterId: Int64 = 0, _ body: (LogEventRecord) throws -> Bool) throws {
        var after = afterId
        while true {
            let page = try jobs.logEvents(stream: stream, afterId: after, limit: 1000)
            for event in page {
                guard try body(event) else { return }
            }
            guard page.count == 1000, let last = page.last?.id else { return }
            after = last
        }
    }

    private func forEachJob(_ body: (ProcessingJobRecord) throws -> Void) throws {
        var query = JobListQuery()
        query.sortBy = .name
        query.limit = 100
        while true {
            let page = try jobs.list(query)
            try page.jobs.forEach(body)
            guard page.more else { return }
            query.offset += page.jobs.count
        }
    }
}
