import GRDB
import SageMakerAPI

/// One pipeline (CreatePipeline). Its definitions are kept per version in `PipelineVersionRecord`.
public struct PipelineRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "pipelines"

    public var id: Int64?
    public var name: String
    public var arn: String
    public var displayName: String?
    public var pipelineDescription: String?
    public var roleArn: String
    /// ParallelismConfiguration.MaxParallelExecutionSteps, when the pipeline sets one.
    public var maxParallelExecutionSteps: Int?
    /// The version the next start runs: the highest ever given (UpdatePipeline adds one).
    public var latestVersion: Int
    public var creationTime: Double
    public var lastModifiedTime: Double
    public var lastRunTime: Double?

    public init(id: Int64? = nil, name: String, arn: String, displayName: String? = nil, pipelineDescription: String? = nil,
                roleArn: String, maxParallelExecutionSteps: Int? = nil, latestVersion: Int = 1,
                creationTime: Double, lastModifiedTime: Double, lastRunTime: Double? = nil) {
        self.id = id
        self.name = name
        self.arn = arn
        self.displayName = displayName
        self.pipelineDescription = pipelineDescription
        self.roleArn = roleArn
        self.maxParallelExecutionSteps = maxParallelExecutionSteps
        self.latestVersion = latestVersion
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
        self.lastRunTime = lastRunTime
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One version of a pipeline's definition (CreatePipeline gives 1, each UpdatePipeline the next).
public struct PipelineVersionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pipeline_versions"

    public var pipelineId: Int64
    public var version: Int
    /// The definition text as given (never re-serialised).
    public var definition: String
    public var creationTime: Double

    public init(pipelineId: Int64, version: Int, definition: String, creationTime: Double) {
        self.pipelineId = pipelineId
        self.version = version
        self.definition = definition
        self.creationTime = creationTime
    }
}

/// One execution (StartPipelineExecution) and the process that runs it.
public struct PipelineExecutionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "pipeline_executions"

    public var id: Int64?
    public var pipelineId: Int64
    public var arn: String
    /// The 12-character id the ARN ends with.
    public var executionId: String
    public var displayName: String
    public var executionDescription: String?
    /// `PipelineExecutionStatus` (Executing, Stopping, Stopped, Failed, Succeeded).
    public var status: PipelineExecutionStatus
    public var failureReason: String?
    /// The PipelineParameters as the request gave them: `[{"Name","Value"}]`, JSON.
    public var givenParameters: String
    /// Every declared parameter's value, cast to its type: a JSON object (canonical text).
    public var resolvedParameters: String
    public var maxParallelExecutionSteps: Int?
    /// The pipeline version it runs.
    public var pipelineVersion: Int
    public var creationTime: Double
    public var lastModifiedTime: Double
    public var endTime: Double?
    /// StopPipelineExecution was called: the runner sees it and stops the running steps.
    public var stopRequested: Bool
    /// The process running it: when it is gone, the execution ends Failed (as jobs do).
    public var runnerPid: Int?
    public var runnerStartTime: Int?
    /// The definition's PipelineExperimentConfig, evaluated at the start.
    public var experimentName: String?
    public var trialName: String?
    public var clientRequestToken: String?
    /// The ClientRequestToken of the last RetryPipelineExecution.
    public var retryRequestToken: String?

    public init(id: Int64? = nil, pipelineId: Int64, arn: String, executionId: String, displayName: String,
                executionDescription: String? = nil, status: PipelineExecutionStatus, failureReason: String? = nil,
                givenParameters: String, resolvedParameters: String, maxParallelExecutionSteps: Int? = nil,
                pipelineVersion: Int, creationTime: Double, lastModifiedTime: Double, endTime: Double? = nil,
                stopRequested: Bool = false, runnerPid: Int? = nil, runnerStartTime: Int? = nil,
                experimentName: String? = nil, trialName: String? = nil, clientRequestToken: String? = nil,
                retryRequestToken: String? = nil) {
        self.id = id
        self.pipelineId = pipelineId
        self.arn = arn
        self.executionId = executionId
        self.displayName = displayName
        self.executionDescription = executionDescription
        self.status = status
        self.failureReason = failureReason
        self.givenParameters = givenParameters
        self.resolvedParameters = resolvedParameters
        self.maxParallelExecutionSteps = maxParallelExecutionSteps
        self.pipelineVersion = pipelineVersion
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
        self.endTime = endTime
        self.stopRequested = stopRequested
        self.runnerPid = runnerPid
        self.runnerStartTime = runnerStartTime
        self.experimentName = experimentName
        self.trialName = trialName
        self.clientRequestToken = clientRequestToken
        self.retryRequestToken = retryRequestToken
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var isTerminal: Bool { [.succeeded, .failed, .stopped].contains(status) }
}

/// One step of an execution that started (ListPipelineExecutionSteps lists these, newest first).
/// Metadata and properties are JSON text written with `JSONValue.canonicalText`, read with
/// `JSONValue(parsing:)`, which keeps `1.0` apart from `1`.
public struct PipelineStepRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pipeline_execution_steps"

    public var executionId: Int64
    public var name: String
    /// The definition's step Type (`Processing`, `Training`, `Condition`, …).
    public var type: String
    public var displayName: String?
    public var stepDescription: String?
    /// `StepStatus`.
    public var status: StepStatus
    /// The order steps started in (0 first): the listing's order, newest first.
    public var startIndex: Int
    public var startTime: Double
    public var endTime: Double?
    public var failureReason: String?
    public var metadata: String?
    /// The step's properties (its resource's Describe* response) once it succeeded.
    public var properties: String?
    public var attemptCount: Int
    /// The execution whose run this step reused (a cache hit).
    public var cacheSourceExecutionArn: String?
    /// The step's cache key attributes (canonical JSON), when its type is cached: later runs compare it.
    public var cacheKey: String?
    /// The job it created (its name), so a stop can reach it.
    public var jobName: String?

    public init(executionId: Int64, name: String, type: String, displayName: String? = nil, stepDescription: String? = nil,
                status: StepStatus, startIndex: Int, startTime: Double, endTime: Double? = nil, failureReason: String? = nil,
                metadata: String? = nil, properties: String? = nil, attemptCount: Int = 1,
                cacheSourceExecutionArn: String? = nil, cacheKey: String? = nil, jobName: String? = nil) {
        self.executionId = executionId
        self.name = name
        self.type = type
        self.displayName = displayName
        self.stepDescription = stepDescription
        self.status = status
        self.startIndex = startIndex
        self.startTime = startTime
        self.endTime = endTime
        self.failureReason = failureReason
        self.metadata = metadata
        self.properties = properties
        self.attemptCount = attemptCount
        self.cacheSourceExecutionArn = cacheSourceExecutionArn
        self.cacheKey = cacheKey
        self.jobName = jobName
    }
}

/// Statuses generated from botocore, stored by their raw values.
extension PipelineExecutionStatus: Codable, DatabaseValueConvertible {}
extension StepStatus: Codable, DatabaseValueConvertible {}
