import Foundation
import JobStore
import SageMakerAPI

/// Builds DescribeProcessingJob's and ListProcessingJobs' answers from a stored job: the request as the
/// client sent it, plus the service's fields.
enum ProcessingJobDescription {
    /// The requests of the jobs described lately (a job's request never changes; its status does, and
    /// is always read fresh from the record).
    private static let requests = CreateRequestCache<CreateProcessingJobRequest>(capacity: 4096)

    static func describe(_ job: JobRecord) throws -> DescribeProcessingJobResponse {
        let request = try requests.request(jobId: job.id, json: job.request)
        var response = DescribeProcessingJobResponse()
        response.processingInputs = request.processingInputs
        response.processingOutputConfig = request.processingOutputConfig
        response.processingJobName = job.name
        response.processingResources = request.processingResources
        response.stoppingCondition = request.stoppingCondition
        response.appSpecification = request.appSpecification
        response.environment = request.environment
        response.networkConfig = request.networkConfig
        response.roleArn = request.roleArn
        response.experimentConfig = request.experimentConfig
        response.processingJobArn = job.arn
        response.processingJobStatus = job.status.rawValue
        response.exitMessage = job.exitMessage
        response.failureReason = job.failureReason
        response.processingEndTime = job.endTime.map(date)
        response.processingStartTime = job.startTime.map(date)
        response.lastModifiedTime = date(job.lastModifiedTime)
        response.creationTime = date(job.creationTime)
        return response
    }

    static func summary(_ job: JobRecord) -> ProcessingJobSummary {
        var summary = ProcessingJobSummary()
        summary.processingJobName = job.name
        summary.processingJobArn = job.arn
        summary.creationTime = date(job.creationTime)
        summary.processingEndTime = job.endTime.map(date)
        summary.lastModifiedTime = date(job.lastModifiedTime)
        summary.failureReason = job.failureReason
        summary.processingJobStatus = job.status.rawValue
        summary.exitMessage = job.exitMessage
        return summary
    }

    private static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
}
