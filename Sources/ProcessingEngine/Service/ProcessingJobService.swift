import Foundation
import JobStore
import ProcessIdentity
import SageMakerAPI

/// The SageMaker Processing operations, independent of any wire format: the CLI calls them directly,
/// the HTTP front door after decoding. Errors are `AWSServiceError`s worded as AWS words them.
/// Create only records the job (InProgress); a `JobRunner` runs it.
public struct ProcessingJobService: Sendable {
    public let root: SageboxRoot

    public init(root: SageboxRoot) {
        self.root = root
    }

    public func createProcessingJob(_ request: CreateProcessingJobRequest) throws -> CreateProcessingJobResponse {
        try request.validate()
        let name = request.processingJobName!
        let arn = ProcessingJobArn(jobName: name).description
        let created = now()
        let body = String(decoding: try SageMakerJSON.encoder.encode(request), as: UTF8.self)
        // The creating process owns the job until a runner claims it (the server's own thread, or the
        // background runner `run` hands it to): if it dies first, the job ends Failed at the next
        // check rather than waiting for a runner that will never come.
        let creator = ProcessIdentity.current
        let record = ProcessingJobRecord(
            name: name, arn: arn, status: "InProgress", request: body, creationTime: created,
            lastModifiedTime: created, folder: "\(name)-\(Int(created * 1000))",
            runnerPid: creator?.pid, runnerStartTime: creator?.startTime)
        do {
            // The job and its Tags in one transaction (the model caps Tags at 50, the per-job limit).
            try root.jobs.insert(record, event: "Created", tags: (request.tags ?? []).map(Self.keyValue))
        } catch JobStoreError.nameTaken(let existing) {
            throw AWSServiceError.resourceInUse(
                "Processing job names must be unique within an AWS account and region, and a processing job with this name already exists (\(existing))")
        }
        return CreateProcessingJobResponse(processingJobArn: arn)
    }

    public func describeProcessingJob(_ request: DescribeProcessingJobRequest) throws -> DescribeProcessingJobResponse {
        try request.validate()
        let job = try existingJob(request.processingJobName!)
        return try ProcessingJobDescription.describe(job)
    }

    public func listProcessingJobs(_ request: ListProcessingJobsRequest) throws -> ListProcessingJobsResponse {
        try request.validate()
        var query = JobListQuery()
        query.creationTimeAfter = request.creationTimeAfter?.timeIntervalSince1970
        query.creationTimeBefore = request.creationTimeBefore?.timeIntervalSince1970
        query.lastModifiedTimeAfter = request.lastModifiedTimeAfter?.timeIntervalSince1970
        query.lastModifiedTimeBefore = request.lastModifiedTimeBefore?.timeIntervalSince1970
        query.nameContains = request.nameContains
        query.statusEquals = request.statusEquals
        query.sortBy = request.sortBy.flatMap(JobListQuery.SortKey.init(rawValue:)) ?? .creationTime
        query.ascending = request.sortOrder != "Descending"
        query.limit = request.maxResults ?? 10
        if let token = request.nextToken { query.offset = try ListToken.offset(from: token, for: query) }
        let page = try root.jobs.list(query)
        var response = ListProcessingJobsResponse()
        response.processingJobSummaries = page.jobs.map(ProcessingJobDescription.summary)
        response.nextToken = page.more ? ListToken.make(offset: query.offset + page.jobs.count, for: query) : nil
        return response
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
        let job = try existingJob(request.processingJobName!)
        try root.jobs.update(jobId: job.id!, at: now(), event: "Stop requested") { record in
            guard record.status == "InProgress" else {
                throw AWSServiceError.validation("The processing job \(record.name) is \(record.status); only an InProgress job can be stopped.")
            }
            record.status = "Stopping"
            record.stopRequested = true
        }
    }

    /// Ends Failed every job whose creator or runner is gone (a server or runner killed while the job
    /// ran, or before it claimed the job), as the real service reports a job lost to an internal fault.
    /// Called when a server starts, every few seconds while it runs, and by the CLI's listing commands.
    @discardableResult
    public func failInterruptedJobs() throws -> [String] {
        try release(try root.jobs.failOrphans(reason: Self.restartReason, now: now()))
    }

    /// Hands the job over to `runner`, a process this one started to run it (`sagebox run` without --wait),
    /// so that the job outlives its creator and ends Failed if the runner dies.
    public func handOver(jobNamed name: String, to runner: ProcessIdentity) throws {
        try root.jobs.claim(jobId: try existingJob(name).id!, by: runner)
    }

    /// Ends Failed the jobs this process runs, and releases what they hold (their processes, cgroups and
    /// volumes): a server shutting down leaves nothing running or mounted, and its jobs end as they would
    /// at its next start. Returns their names.
    public func failJobsOfThisProcess() throws -> [String] {
        guard let me = ProcessIdentity.current else { return [] }
        return try release(try root.jobs.failJobs(runBy: me, reason: Self.restartReason, now: now()))
    }

    private static let restartReason = FailureReason.internalError("sagebox restarted while the job was running")

    private func release(_ failed: [String]) throws -> [String] {
        for name in failed {
            guard let job = try root.jobs.job(named: name) else { continue }
            JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory)).releaseInstances()
        }
        return failed
    }

    /// The job, or the ValidationException clients and waiters expect for an unknown name (spec §12).
    func existingJob(_ name: String) throws -> ProcessingJobRecord {
        guard let job = try root.jobs.job(named: name) else {
            throw AWSServiceError.validation("Could not find requested job with name \(name)")
        }
        return job
    }
}
