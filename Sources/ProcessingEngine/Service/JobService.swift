import Foundation
import JobStore
import ProcessIdentity
import SageMakerAPI

/// The SageMaker job operations (processing here, training in `JobService+Training`), independent of
/// any wire format: the CLI calls them directly, the HTTP front door after decoding. Errors are
/// `AWSServiceError`s worded as AWS words them. Create only records the job (InProgress); a `JobRunner`
/// runs it. Every status change goes through `JobLifecycle`.
public struct JobService: Sendable {
    public let root: SageboxRoot

    public init(root: SageboxRoot) {
        self.root = root
    }

    public func createProcessingJob(_ request: CreateProcessingJobRequest) throws -> CreateProcessingJobResponse {
        try request.validate()
        let arn = SageMakerArn.processingJob(request.processingJobName!).description
        try insert(.processing, name: request.processingJobName!, arn: arn, request: request, tags: request.tags, noun: "processing job")
        return CreateProcessingJobResponse(processingJobArn: arn)
    }

    /// Records a new job, InProgress, with its Tags, in one transaction (the model caps Tags at 50, the
    /// per-job limit). The creating process owns the job until a runner claims it (the server's own
    /// thread, or the background runner `run` hands it to): if it dies first, the job ends Failed at the
    /// next check rather than waiting for a runner that will never come.
    func insert(_ kind: JobKind, name: String, arn: String, request: some Encodable, tags: [Tag]?, noun: String) throws {
        let created = now()
        let body = String(decoding: try SageMakerJSON.encoder.encode(request), as: UTF8.self)
        let creator = ProcessIdentity.current
        let creation = JobLifecycle.created(kind)
        var record = JobRecord(
            kind: kind, name: name, arn: arn, request: body, creationTime: created,
            lastModifiedTime: created, folder: "\(name)-\(Int(created * 1000))",
            runnerPid: creator?.pid, runnerStartTime: creator?.startTime)
        creation.apply(to: &record, at: created)
        do {
            try root.jobs.insert(record, event: creation.event, tags: (tags ?? []).map(Self.keyValue))
        } catch JobStoreError.nameTaken(let existing) {
            throw AWSServiceError.resourceInUse(
                "\(noun.prefix(1).uppercased() + noun.dropFirst()) names must be unique within an AWS account and region, and a \(noun) with this name already exists (\(existing))")
        }
    }

    public func describeProcessingJob(_ request: DescribeProcessingJobRequest) throws -> DescribeProcessingJobResponse {
        try request.validate()
        let job = try existingJob(request.processingJobName!)
        return try ProcessingJobDescription.describe(job)
    }

    public func listProcessingJobs(_ request: ListProcessingJobsRequest) throws -> ListProcessingJobsResponse {
        try request.validate()
        let page = try listPage(.processing, ListFilters(
            creationTimeAfter: request.creationTimeAfter, creationTimeBefore: request.creationTimeBefore,
            lastModifiedTimeAfter: request.lastModifiedTimeAfter, lastModifiedTimeBefore: request.lastModifiedTimeBefore,
            nameContains: request.nameContains, statusEquals: request.statusEquals, sortBy: request.sortBy,
            sortOrder: request.sortOrder, maxResults: request.maxResults, nextToken: request.nextToken))
        var response = ListProcessingJobsResponse()
        response.processingJobSummaries = page.jobs.map(ProcessingJobDescription.summary)
        response.nextToken = page.nextToken
        return response
    }

    /// The filters both ListProcessingJobs and ListTrainingJobs take.
    struct ListFilters {
        var creationTimeAfter, creationTimeBefore, lastModifiedTimeAfter, lastModifiedTimeBefore: Date?
        var nameContains, statusEquals, sortBy, sortOrder: String?
        var maxResults: Int?
        var nextToken: String?
    }

    /// One page of jobs of `kind`, and the NextToken of the next (nil on the last page).
    func listPage(_ kind: JobKind, _ filters: ListFilters) throws -> (jobs: [JobRecord], nextToken: String?) {
        var query = JobListQuery(kind: kind)
        query.creationTimeAfter = filters.creationTimeAfter?.timeIntervalSince1970
        query.creationTimeBefore = filters.creationTimeBefore?.timeIntervalSince1970
        query.lastModifiedTimeAfter = filters.lastModifiedTimeAfter?.timeIntervalSince1970
        query.lastModifiedTimeBefore = filters.lastModifiedTimeBefore?.timeIntervalSince1970
        query.nameContains = filters.nameContains
        query.statusEquals = filters.statusEquals.flatMap(JobStatus.init(rawValue:))
        query.sortBy = filters.sortBy.flatMap(JobListQuery.SortKey.init(rawValue:)) ?? .creationTime
        query.ascending = filters.sortOrder != "Descending"
        query.limit = filters.maxResults ?? 10
        if let token = filters.nextToken { query.offset = try ListToken.offset(from: token, for: query) }
        let page = try root.jobs.list(query)
        return (page.jobs, page.more ? ListToken.make(offset: query.offset + page.jobs.count, for: query) : nil)
    }

    public func deleteProcessingJob(_ request: DeleteProcessingJobRequest) throws {
        try request.validate()
        let job = try existingJob(request.processingJobName!)
        do {
            try root.jobs.delete(named: job.name)
        } catch JobStoreError.wrongStatus(_, let status) {
            throw AWSServiceError.validation("The processing job \(job.name) is \(status); only a Completed, Failed or Stopped job can be deleted.")
        }
        try? FileManager.default.removeItem(at: root.jobsURL.appending(path: job.folder))
    }

    /// Moves an InProgress job to Stopping and asks its runner (in whichever process runs it) to stop it:
    /// SIGTERM, the grace period, SIGKILL, then Stopped.
    public func stopProcessingJob(_ request: StopProcessingJobRequest) throws {
        try request.validate()
        try stop(try existingJob(request.processingJobName!), noun: "processing job")
    }

    /// Ends Failed every job whose creator or runner is gone (a server or runner killed while the job
    /// ran, or before it claimed the job), as the real service reports a job lost to an internal fault.
    /// Called when a server starts, every few seconds while it runs, and by the CLI's listing commands.
    @discardableResult
    public func failInterruptedJobs() throws -> [String] {
        let time = now()
        return try release(try root.jobs.endOrphans(now: time) { JobLifecycle.runnerLost($0, reason: Self.restartReason).apply(to: &$0, at: time) })
    }

    /// Hands the job over to `runner`, a process this one started to run it (`sagebox run` without --wait),
    /// so that the job outlives its creator and ends Failed if the runner dies.
    public func handOver(jobNamed name: String, kind: JobKind = .processing, to runner: ProcessIdentity) throws {
        try root.jobs.claim(jobId: try existingJob(name, kind: kind).id!, by: runner)
    }

    /// Ends Failed the jobs this process runs, and releases what they hold (their processes, cgroups and
    /// volumes): a server shutting down leaves nothing running or mounted, and its jobs end as they would
    /// at its next start. Returns their names.
    public func failJobsOfThisProcess() throws -> [String] {
        guard let me = ProcessIdentity.current else { return [] }
        let time = now()
        return try release(try root.jobs.endJobs(runBy: me, now: time) { JobLifecycle.runnerLost($0, reason: Self.restartReason).apply(to: &$0, at: time) })
    }

    private static let restartReason = FailureReason.internalError("sagebox restarted while the job was running")

    private func release(_ failed: [JobRecord]) throws -> [String] {
        for job in failed {
            JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory)).releaseInstances()
        }
        return failed.map(\.name)
    }

    /// The job, or the ValidationException clients and waiters expect for an unknown name (spec §12).
    func existingJob(_ name: String, kind: JobKind = .processing) throws -> JobRecord {
        guard let job = try root.jobs.job(named: name, kind: kind) else {
            throw AWSServiceError.validation("Could not find requested job with name \(name)")
        }
        return job
    }

    /// Stop...Job: the lifecycle's move to Stopping, in one transaction with the check that the job is
    /// InProgress; the job's runner (in whichever process) sees it and stops the instances.
    func stop(_ job: JobRecord, noun: String) throws {
        try root.jobs.update(jobId: job.id!, at: now()) { record in
            do {
                let transition = try JobLifecycle.stopRequested(record)
                transition.apply(to: &record, at: now())
                return transition.event
            } catch JobLifecycle.StopRefusal.notInProgress(let status) {
                // StopTrainingJob's own text, as a real traceback shows it; processing's is taken to match.
                throw AWSServiceError.validation("The request was rejected because the \(noun) is in status \(status.rawValue).")
            }
        }
    }
}
