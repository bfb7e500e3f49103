import Foundation
import JobStore
import SageMakerAPI

/// CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs and StopTrainingJob: the same store, runner
/// and lifecycle as processing jobs (a training job's channels are staged as inputs, spec §4).
extension JobService {
    public func createTrainingJob(_ request: CreateTrainingJobRequest) throws -> CreateTrainingJobResponse {
        try request.validate()
        let arn = SageMakerArn.trainingJob(request.trainingJobName!).description
        try insert(.training, name: request.trainingJobName!, arn: arn, request: request, tags: request.tags, noun: "training job")
        return CreateTrainingJobResponse(trainingJobArn: arn)
    }

    public func describeTrainingJob(_ request: DescribeTrainingJobRequest) throws -> DescribeTrainingJobResponse {
        try request.validate()
        let job = try existingJob(request.trainingJobName!, kind: .training)
        return try TrainingJobDescription.describe(job, transitions: root.jobs.secondaryStatusTransitions(jobId: job.id!))
    }

    public func listTrainingJobs(_ request: ListTrainingJobsRequest) throws -> ListTrainingJobsResponse {
        try request.validate()
        let page = try listPage(.training, ListFilters(
            creationTimeAfter: request.creationTimeAfter, creationTimeBefore: request.creationTimeBefore,
            lastModifiedTimeAfter: request.lastModifiedTimeAfter, lastModifiedTimeBefore: request.lastModifiedTimeBefore,
            nameContains: request.nameContains, statusEquals: request.statusEquals, sortBy: request.sortBy,
            sortOrder: request.sortOrder, maxResults: request.maxResults, nextToken: request.nextToken))
        return ListTrainingJobsResponse(trainingJobSummaries: page.jobs.map(TrainingJobDescription.summary), nextToken: page.nextToken)
    }

    /// StopTrainingJob: Stopping now; the runner sends SIGTERM, waits the grace period, then SIGKILL,
    /// and the job ends Stopped with its model uploaded (the 120 s are there to save it).
    public func stopTrainingJob(_ request: StopTrainingJobRequest) throws {
        try request.validate()
        try stop(try existingJob(request.trainingJobName!, kind: .training), noun: "training job")
    }
}

/// Builds DescribeTrainingJob's and ListTrainingJobs' answers from a stored job.
enum TrainingJobDescription {
    private static let requests = CreateRequestCache<CreateTrainingJobRequest>(capacity: 1024)

    static func describe(_ job: JobRecord, transitions: [SecondaryStatusTransitionRecord]) throws -> DescribeTrainingJobResponse {
        let request = try requests.request(jobId: job.id, json: job.request)
        var response = DescribeTrainingJobResponse()
        response.trainingJobName = job.name
        response.trainingJobArn = job.arn
        // Describe is what waiters poll: only the fields it needs, not the job's whole definition.
        response.modelArtifacts = ModelArtifacts(s3ModelArtifacts: JobDefinition.modelOutputPrefix(of: request) + "/model.tar.gz")
        response.trainingJobStatus = job.status.rawValue
        response.secondaryStatus = (job.secondaryStatus ?? .starting).rawValue
        response.failureReason = job.failureReason
        response.hyperParameters = request.hyperParameters
        var algorithm = request.algorithmSpecification
        let mode = algorithm?.trainingInputMode ?? TrainingInputMode.file.rawValue
        algorithm?.trainingInputMode = mode
        response.algorithmSpecification = algorithm
        response.roleArn = request.roleArn
        response.inputDataConfig = request.inputDataConfig
        response.outputDataConfig = request.outputDataConfig
        response.resourceConfig = request.resourceConfig
        response.vpcConfig = request.vpcConfig
        var stopping = request.stoppingCondition ?? StoppingCondition()
        stopping.maxRuntimeInSeconds = stopping.maxRuntimeInSeconds ?? JobConfigFiles.defaultMaxRuntimeInSeconds
        response.stoppingCondition = stopping
        response.creationTime = date(job.creationTime)
        response.trainingStartTime = job.startTime.map(date)
        response.trainingEndTime = job.endTime.map(date)
        response.lastModifiedTime = date(job.lastModifiedTime)
        response.secondaryStatusTransitions = transitions.map {
            SecondaryStatusTransition(status: $0.status.rawValue, startTime: date($0.startTime), endTime: $0.endTime.map(date),
                                      statusMessage: $0.statusMessage)
        }
        response.finalMetricDataList = try job.finalMetrics.map { try SageMakerJSON.decoder.decode([MetricData].self, from: Data($0.utf8)) }
        response.enableNetworkIsolation = request.enableNetworkIsolation ?? false
        response.enableInterContainerTrafficEncryption = request.enableInterContainerTrafficEncryption ?? false
        response.enableManagedSpotTraining = request.enableManagedSpotTraining ?? false
        response.checkpointConfig = request.checkpointConfig
        if let start = job.startTime, let end = job.endTime {
            // One machine, billed as long as it trained.
            response.trainingTimeInSeconds = max(1, Int((end - start).rounded(.up)))
            response.billableTimeInSeconds = response.trainingTimeInSeconds
        }
        response.debugHookConfig = request.debugHookConfig
        response.experimentConfig = request.experimentConfig
        response.tensorBoardOutputConfig = request.tensorBoardOutputConfig
        response.profilerConfig = request.profilerConfig
        response.environment = request.environment
        response.retryStrategy = request.retryStrategy
        return response
    }

    static func summary(_ job: JobRecord) -> TrainingJobSummary {
        TrainingJobSummary(trainingJobName: job.name, trainingJobArn: job.arn, creationTime: date(job.creationTime),
                           trainingEndTime: job.endTime.map(date), lastModifiedTime: date(job.lastModifiedTime),
                           trainingJobStatus: job.status.rawValue, secondaryStatus: job.secondaryStatus?.rawValue)
    }

    private static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
}
