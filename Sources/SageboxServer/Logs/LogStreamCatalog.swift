import JobStore

/// The log streams of the group `/aws/sagemaker/ProcessingJobs` or `/aws/sagemaker/TrainingJobs`, as
/// the job store knows them: one stream `{job}/algo-N-{epoch}` per instance of each job of that kind,
/// present once the instance has started.
struct LogStreamCatalog: Sendable {
    let jobs: JobStore
    let kind: JobKind

    var groupName: String { Self.groupName(of: kind) }

    /// `/aws/sagemaker/ProcessingJobs` or `/aws/sagemaker/TrainingJobs`, as the SDK builds it
    /// (`"/aws/sagemaker/" + job + "Jobs"`).
    static func groupName(of kind: JobKind) -> String { "/aws/sagemaker/\(kind.rawValue)s" }

    static func kind(ofGroup name: String?) -> JobKind? {
        JobKind.allCases.first { groupName(of: $0) == name }
    }

    /// The streams whose names start with `prefix`, sorted by name. A prefix holding `/` names one job,
    /// so only that job is read.
    func streams(prefix: String) throws -> [JobInstanceRecord] {
        var found: [JobInstanceRecord] = []
        if let slash = prefix.firstIndex(of: "/") {
            if let job = try jobs.job(named: String(prefix[..<slash]), kind: kind), let id = job.id {
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
        guard let slash = name.firstIndex(of: "/"), let job = try jobs.job(named: String(name[..<slash]), kind: kind), let id = job.id else {
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

    private func forEachJob(_ body: (JobRecord) throws -> Void) throws {
        var query = JobListQuery(kind: kind)
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
