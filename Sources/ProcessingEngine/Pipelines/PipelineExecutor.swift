import Foundation
import JobStore
import PipelineEngine
import ProcessIdentity
import SageMakerAPI

/// Runs one pipeline execution to its end (blocking; the server gives it a Thread of its own, as
/// `JobLauncher` does for jobs). It drives `PipelineExecutionStateMachine`: each start action evaluates
/// the step's arguments, then creates the step's job through `JobService` (run by a `JobRunner` on a
/// thread of its own, as any job), its model or model package through `ModelRegistryService`, or
/// evaluates a Condition or Fail step. Step results come back as events on one queue; the store holds
/// every status change, so Describe/List see the execution as it runs.
public struct PipelineExecutor: Sendable {
    public let root: SageboxRoot
    public let settings: RunnerSettings
    /// How often a running execution looks for a StopPipelineExecution.
    public var stopPollInterval: TimeInterval = 0.25

    /// The tag every job and model a pipeline creates carries (the SDK's lineage code reads it).
    public static let executionArnTagKey = "sagemaker:pipeline-execution-arn"

    public init(root: SageboxRoot, settings: RunnerSettings) {
        self.root = root
        self.settings = settings
    }

    /// Runs the execution with this ARN until it ends; returns its final record.
    @discardableResult
    public func run(executionArn: String) throws -> PipelineExecutionRecord {
        var run = try ExecutionRun(executor: self, execution: try claim(executionArn), retrying: false)
        return try run.drive()
    }

    /// Runs again an execution that RetryPipelineExecution moved from Failed or Stopped back to Executing:
    /// its failed and stopped steps run again, the steps that succeeded keep their results (spec §3).
    @discardableResult
    public func retry(executionArn: String) throws -> PipelineExecutionRecord {
        var run = try ExecutionRun(executor: self, execution: try claim(executionArn), retrying: true)
        return try run.drive()
    }

    /// The execution, now owned by this process (a runner that dies leaves it to `failInterruptedExecutions`).
    private func claim(_ executionArn: String) throws -> PipelineExecutionRecord {
        guard let execution = try root.pipelines.execution(arn: executionArn) else {
            throw AWSServiceError.resourceNotFound("Pipeline execution '\(executionArn)' does not exist.")
        }
        guard let me = ProcessIdentity.current else { return execution }
        return try root.pipelines.updateExecution(arn: executionArn) { $0.runnerPid = me.pid; $0.runnerStartTime = me.startTime } ?? execution
    }
}

/// What a step's work reports back to the execution's loop.
enum StepEvent: Sendable {
    case started(String)
    case succeeded(String, properties: JSONValue, metadata: JSONValue?, cacheSource: String?)
    case conditionEvaluated(String, ConditionOutcome)
    case failed(String, reason: String?, metadata: JSONValue?)
    case stopped(String)
}

/// A queue the step threads post to and the execution's loop waits on.
final class StepEventQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [StepEvent] = []

    func post(_ event: StepEvent) {
        condition.lock()
        events.append(event)
        condition.signal()
        condition.unlock()
    }

    /// The next event, or nil when none came within `timeout`.
    func next(timeout: TimeInterval) -> StepEvent? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while events.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        return events.isEmpty ? nil : events.removeFirst()
    }
}

/// The state of one execution while it runs.
struct ExecutionRun {
    let executor: PipelineExecutor
    var execution: PipelineExecutionRecord
    let pipeline: PipelineRecord
    let definition: PipelineDefinition
    let parameters: [String: JSONValue]
    let variables: ExecutionVariables
    var machine: PipelineExecutionStateMachine
    /// Each started step's row as it is now, and as it was last written.
    var rows: [String: PipelineStepRecord] = [:]
    var saved: [String: PipelineStepRecord] = [:]
    let events = StepEventQueue()
    /// A RetryPipelineExecution: the machine was rebuilt from the stored steps and `retried()` starts it.
    let retrying: Bool

    var root: SageboxRoot { executor.root }
    var store: PipelineStore { executor.root.pipelines }

    init(executor: PipelineExecutor, execution: PipelineExecutionRecord, retrying: Bool) throws {
        self.executor = executor
        self.execution = execution
        self.retrying = retrying
        guard let pipeline = try executor.root.pipelines.database.read({ db in try PipelineRecord.fetchOne(db, key: execution.pipelineId) }),
              let version = try executor.root.pipelines.version(execution.pipelineVersion, pipelineId: execution.pipelineId) else {
            throw AWSServiceError.resourceNotFound("The pipeline of execution '\(execution.arn)' does not exist.")
        }
        self.pipeline = pipeline
        definition = try PipelineService.parse(version.definition)
        guard case .object(let values) = try JSONValue(parsing: Data(execution.resolvedParameters.utf8)) else {
            throw AWSServiceError.internalFailure("The parameters of execution '\(execution.arn)' are not a JSON object.")
        }
        parameters = values
        variables = ExecutionVariables(pipelineName: pipeline.name, pipelineArn: pipeline.arn, pipelineExecutionId: execution.executionId,
                                       pipelineExecutionArn: execution.arn, startDateTime: Date(timeIntervalSince1970: execution.creationTime))
        machine = PipelineExecutionStateMachine(definition: definition, maxParallelExecutionSteps: execution.maxParallelExecutionSteps)
        if retrying { try restoreSteps() }
    }

    /// The steps an earlier run left, as rows and as the machine's records (ended as the failed run ended).
    private mutating func restoreSteps() throws {
        let stored = try store.steps(executionId: execution.id!)
        for row in stored { rows[row.name] = row; saved[row.name] = row }
        let steps = try stored.map { row in
            let metadata = try row.metadata.map { try JSONValue(parsing: Data($0.utf8)) }
            let outcome = metadata?["Condition"]?["Outcome"]?.stringValue.flatMap(ConditionOutcome.init(rawValue:))
            var properties = try row.properties.map { try JSONValue(parsing: Data($0.utf8)) }
            if let outcome { properties = .object(["Outcome": .bool(outcome == .true)]) }
            return PipelineExecutionStateMachine.StepRecord(
                name: row.name, status: row.status, failureReason: row.failureReason, properties: properties, outcome: outcome,
                startIndex: row.startIndex, attemptCount: row.attemptCount)
        }
        // What the run ended as before RetryPipelineExecution moved it back to Executing.
        let ended: PipelineExecutionStatus = steps.contains { $0.status == .stopped } && !steps.contains { $0.status == .failed } ? .stopped : .failed
        machine = PipelineExecutionStateMachine(definition: definition, maxParallelExecutionSteps: execution.maxParallelExecutionSteps,
                                                ended: ended, failureReason: nil, steps: steps)
    }

    // MARK: The loop

    mutating func drive() throws -> PipelineExecutionRecord {
        var actions = retrying ? machine.retried() : machine.started()
        var nextStopCheck = Date()
        while true {
            for action in actions {
                switch action {
                case .startSteps(let names):
                    for name in names { try start(name) }
                case .stopSteps(let names):
                    for name in names { stopJob(of: name) }
                case .finishExecution(let status, let reason):
                    return try finish(status, reason: reason)
                }
            }
            actions = []
            if let event = events.next(timeout: executor.stopPollInterval) {
                actions = try apply(event)
            }
            // A StopPipelineExecution is seen within the interval even while steps keep reporting.
            if Date() >= nextStopCheck {
                nextStopCheck = Date().addingTimeInterval(executor.stopPollInterval)
                let stored = try store.execution(arn: execution.arn)
                // Ended by its server shutting down (`failExecutionsOfThisProcess`): nothing more starts here.
                if let stored, stored.isTerminal { return stored }
                if stored?.stopRequested == true {
                    actions += machine.stopRequested()
                    try syncRows()
                }
            }
        }
    }

    private mutating func apply(_ event: StepEvent) throws -> [PipelineExecutionStateMachine.Action] {
        let time = now()
        let actions: [PipelineExecutionStateMachine.Action]
        switch event {
        case .started(let name):
            actions = machine.stepStarted(name)
        case .succeeded(let name, let properties, let metadata, let cacheSource):
            rows[name]?.properties = properties.canonicalText
            if let metadata { rows[name]?.metadata = metadata.canonicalText }
            rows[name]?.cacheSourceExecutionArn = cacheSource
            rows[name]?.endTime = time
            actions = machine.stepSucceeded(name, properties: properties)
        case .conditionEvaluated(let name, let outcome):
            rows[name]?.metadata = StepMetadata.condition(outcome).canonicalText
            rows[name]?.endTime = time
            actions = machine.conditionEvaluated(name, outcome: outcome)
        case .failed(let name, let reason, let metadata):
            rows[name]?.failureReason = reason
            if let metadata { rows[name]?.metadata = metadata.canonicalText }
            rows[name]?.endTime = time
            actions = machine.stepFailed(name, reason: reason)
        case .stopped(let name):
            rows[name]?.endTime = time
            actions = machine.stepStopped(name)
        }
        try syncRows()
        return actions
    }

    /// Takes each step's status from the machine and writes the rows that changed since last written.
    private mutating func syncRows() throws {
        for name in rows.keys {
            if let status = machine.step(name)?.status { rows[name]!.status = status }
            try save(name)
        }
    }

    private mutating func save(_ name: String) throws {
        guard let row = rows[name], row != saved[name] else { return }
        try store.save(row)
        saved[name] = row
    }

    private mutating func finish(_ status: PipelineExecutionStatus, reason: String?) throws -> PipelineExecutionRecord {
        let time = now()
        return try store.updateExecution(arn: execution.arn) { record in
            // An end written meanwhile by the server shutting down stands (its jobs were failed after it).
            guard !record.isTerminal else { return }
            record.status = status
            record.failureReason = reason
            record.endTime = time
            record.lastModifiedTime = time
        } ?? execution
    }

    // MARK: Starting steps

    private mutating func start(_ name: String) throws {
        guard let step = definition.step(named: name), let machineRecord = machine.step(name) else { return }
        let row = PipelineStepRecord(
            executionId: execution.id!, name: name, type: step.type.rawValue, displayName: step.displayName,
            stepDescription: step.description, status: machineRecord.status, startIndex: machineRecord.startIndex,
            startTime: now(), attemptCount: machineRecord.attemptCount)
        rows[name] = row
        try save(name)
        let jobName = step.generatedNameMember.map { _ in PipelineNames.jobName(executionId: execution.executionId, stepName: name) }
        do {
            try begin(step, jobName: jobName)
        } catch let error as ExpressionError {
            events.post(.failed(name, reason: error.message, metadata: nil))
        }
    }

    private mutating func begin(_ step: PipelineStep, jobName: String?) throws {
        let name = step.name
        let evaluator = evaluator(jobName: jobName)
        switch step.type {
        case .condition:
            let outcome = try ConditionEvaluator.outcome(of: step.conditionBranches?.conditions ?? [], with: evaluator)
            events.post(.conditionEvaluated(name, outcome))
        case .fail:
            var message = ""
            if let errorMessage = step.errorMessage { message = ExpressionEvaluator.text(of: try evaluator.evaluate(errorMessage)) }
            events.post(.failed(name, reason: PipelineExecutionStateMachine.failStepReason(errorMessage: message),
                                metadata: StepMetadata.fail(errorMessage: message)))
        case .processing, .training, .model, .registerModel:
            let arguments = try evaluator.evaluate(step.arguments)
            if try reuseCachedRun(of: step, arguments: arguments) { return }
            let request = step.createRequest(evaluatedArguments: arguments, generatedName: jobName,
                                             experiment: try evaluator.experimentConfig())
            try create(step, request: tagged(request), jobName: jobName)
        default:
            events.post(.failed(name, reason: "sagebox does not run \(step.type.rawValue) steps.", metadata: nil))
        }
    }

    private func evaluator(jobName: String?) -> ExpressionEvaluator {
        let s3 = root.s3
        return ExpressionEvaluator(
            definition: definition, parameters: parameters, execution: variables, stepProperties: machine.stepProperties,
            jobName: jobName,
            readJSON: { location in
                // Std:JsonGet reads `<output S3Uri>/<FilePath>` from the fake S3.
                guard let uri = S3URI(location.s3Uri) else { throw AWSServiceError.validation("\(location.s3Uri) is not an s3:// URI") }
                return try JSONValue(parsingDocument: Data(contentsOf: try s3.getObject(bucket: uri.bucket, key: uri.key).url))
            })
    }

    /// The request with the execution's ARN added to its Tags.
    private func tagged(_ request: JSONValue) -> JSONValue {
        guard case .object(var members) = request else { return request }
        var tags = members["Tags"]?.arrayValue ?? []
        tags.append(["Key": .string(PipelineExecutor.executionArnTagKey), "Value": .string(execution.arn)])
        members["Tags"] = .array(tags)
        return .object(members)
    }

    /// A cache hit ends the step Succeeded at once with the earlier run's properties (spec §3 "Caching").
    private mutating func reuseCachedRun(of step: PipelineStep, arguments: JSONValue) throws -> Bool {
        guard let key = CacheKey(step: step, evaluatedArguments: arguments) else { return false }
        rows[step.name]?.cacheKey = key.attributes
        try save(step.name)
        guard let config = step.cacheConfig, config.enabled else { return false }
        let earlier = try store.successfulRuns(pipelineId: pipeline.id!, stepName: step.name)
        let runs = earlier.map { CachedStepRun(key: CacheKey(stepName: key.stepName, stepType: key.stepType, attributes: $0.step.cacheKey!), pipelineExecutionArn: $0.executionArn,
                                               endTime: Date(timeIntervalSince1970: $0.step.endTime!)) }
        guard let hit = CachedStepRun.hit(for: key, config: config, now: Date(), among: runs),
              let source = earlier.first(where: { $0.executionArn == hit.pipelineExecutionArn })?.step,
              let propertiesText = source.properties else { return false }
        let properties = try JSONValue(parsing: Data(propertiesText.utf8))
        let metadata = try source.metadata.map { try JSONValue(parsing: Data($0.utf8)) }
        events.post(.started(step.name))
        events.post(.succeeded(step.name, properties: properties, metadata: metadata, cacheSource: hit.pipelineExecutionArn))
        return true
    }

    // MARK: Creating the step's resource

    private mutating func create(_ step: PipelineStep, request: JSONValue, jobName: String?) throws {
        let name = step.name
        // A parameter's number or boolean in a string member (HyperParameters, Environment...) goes on as
        // its text, written as Std:Join writes it.
        func decoded<T: Decodable>(_ type: T.Type) throws -> T {
            let text = SageMakerJSON.scalarsAsText(request, for: type, text: ExpressionEvaluator.text(of:)).canonicalText
            return try SageMakerJSON.decodeRequest(type, from: Data(text.utf8))
        }
        let jobs = JobService(root: root)
        let registry = ModelRegistryService(root: root)
        do {
            switch step.type {
            case .processing:
                let response = try jobs.createProcessingJob(decoded(CreateProcessingJobRequest.self))
                started(name, jobName: jobName!, kind: .processing, arn: response.processingJobArn ?? "")
            case .training:
                let response = try jobs.createTrainingJob(decoded(CreateTrainingJobRequest.self))
                started(name, jobName: jobName!, kind: .training, arn: response.trainingJobArn ?? "")
            case .model:
                let response = try registry.createModel(decoded(CreateModelInput.self))
                let described = try registry.describeModel(DescribeModelInput(modelName: jobName))
                events.post(.started(name))
                events.post(.succeeded(name, properties: try Self.json(described),
                                       metadata: StepMetadata.resource(of: .model, arn: response.modelArn ?? ""), cacheSource: nil))
            case .registerModel:
                // Open question 4, decided: a missing model package group is created, as the SDK's
                // RegisterModel in a pipeline needs no separate CreateModelPackageGroup call.
                let response = try registry.createModelPackage(
                    decoded(CreateModelPackageInput.self), creatingMissingGroup: true)
                let described = try registry.describeModelPackage(DescribeModelPackageInput(modelPackageName: response.modelPackageArn))
                events.post(.started(name))
                events.post(.succeeded(name, properties: try Self.json(described),
                                       metadata: StepMetadata.resource(of: .registerModel, arn: response.modelPackageArn ?? ""), cacheSource: nil))
            default:
                break
            }
        } catch let error as AWSServiceError {
            // The service's text for a rejected Create call (spec §3 "FailureReason texts").
            events.post(.failed(name, reason: "ClientError: Failed to invoke sagemaker:\(Self.createOperation(step.type)). Error Details: \(error.message)",
                                metadata: nil))
        }
    }

    /// The job was created: run it on a thread of its own and report how it ended.
    private mutating func started(_ name: String, jobName: String, kind: JobKind, arn: String) {
        rows[name]?.jobName = jobName
        rows[name]?.metadata = StepMetadata.resource(of: kind == .processing ? .processing : .training, arn: arn).canonicalText
        events.post(.started(name))
        let runner = JobRunner(root: root, settings: executor.settings)
        let root = root
        let events = events
        let thread = Thread {
            do {
                let job = try runner.run(jobNamed: jobName, kind: kind)
                switch job.status {
                case .completed:
                    let jobs = JobService(root: root)
                    let properties: JSONValue = kind == .processing
                        ? try Self.json(jobs.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: jobName)))
                        : try Self.json(jobs.describeTrainingJob(DescribeTrainingJobRequest(trainingJobName: jobName)))
                    events.post(.succeeded(name, properties: properties, metadata: nil, cacheSource: nil))
                case .stopped:
                    events.post(.stopped(name))
                default:
                    events.post(.failed(name, reason: job.failureReason ?? "The job \(jobName) ended \(job.status.rawValue).", metadata: nil))
                }
            } catch {
                events.post(.failed(name, reason: "\(error)", metadata: nil))
            }
        }
        thread.name = "sagebox-step-\(jobName)"
        thread.start()
    }

    /// Asks the step's job to stop; its runner ends it Stopped and the step's thread reports that.
    private func stopJob(of name: String) {
        guard let row = rows[name], let jobName = row.jobName else { return }
        let jobs = JobService(root: root)
        if row.type == "Training" {
            try? jobs.stopTrainingJob(StopTrainingJobRequest(trainingJobName: jobName))
        } else {
            try? jobs.stopProcessingJob(StopProcessingJobRequest(processingJobName: jobName))
        }
    }

    static func createOperation(_ type: StepType) -> String {
        switch type {
        case .processing: "CreateProcessingJob"
        case .training: "CreateTrainingJob"
        case .model: "CreateModel"
        case .registerModel: "CreateModelPackage"
        default: type.rawValue
        }
    }

    /// A Describe* response as the step's properties (read back with the reader that keeps 1.0 apart from 1).
    static func json(_ response: some Encodable) throws -> JSONValue {
        try JSONValue(parsing: SageMakerJSON.encodeResponse(response))
    }
}
