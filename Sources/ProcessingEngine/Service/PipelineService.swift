import Foundation
import JobStore
import PipelineEngine
import ProcessIdentity
import SageMakerAPI

/// The SageMaker Pipelines operations (CreatePipeline … StopPipelineExecution), independent of any wire
/// format. StartPipelineExecution only records the execution (Executing); a `PipelineExecutor` runs it.
public struct PipelineService: Sendable {
    public let root: SageboxRoot

    public init(root: SageboxRoot) {
        self.root = root
    }

    var store: PipelineStore { root.pipelines }

    // MARK: Pipelines

    public func createPipeline(_ request: CreatePipelineRequest) throws -> CreatePipelineResponse {
        try request.validate()
        let name = request.pipelineName!
        let definition = try definitionText(request.pipelineDefinition, request.pipelineDefinitionS3Location)
        let arn = SageMakerArn.pipeline(name).description
        let time = now()
        let record = PipelineRecord(
            name: name, arn: arn, displayName: request.pipelineDisplayName, pipelineDescription: request.pipelineDescription,
            roleArn: request.roleArn!, maxParallelExecutionSteps: request.parallelismConfiguration?.maxParallelExecutionSteps,
            creationTime: time, lastModifiedTime: time)
        do {
            try store.insert(record, definition: definition, tags: ModelRegistryService.keyValues(request.tags))
        } catch PipelineStoreError.alreadyExists {
            // The SDK's upsert() keys on ValidationException with "already exists" in the message (spec §1).
            throw AWSServiceError.validation(
                "Pipeline names must be unique within an AWS account and region. Pipeline with name (\(name)) already exists.")
        }
        return CreatePipelineResponse(pipelineArn: arn)
    }

    /// A new definition is a new version; the other members change in place.
    public func updatePipeline(_ request: UpdatePipelineRequest) throws -> UpdatePipelineResponse {
        try request.validate()
        let arn = Self.pipelineArn(request.pipelineName!)
        let definition: String? = request.pipelineDefinition != nil || request.pipelineDefinitionS3Location != nil
            ? try definitionText(request.pipelineDefinition, request.pipelineDefinitionS3Location) : nil
        guard let updated = try store.update(arn: arn, definition: definition, at: now(), { pipeline in
            if let name = request.pipelineDisplayName { pipeline.displayName = name }
            if let text = request.pipelineDescription { pipeline.pipelineDescription = text }
            if let role = request.roleArn { pipeline.roleArn = role }
            if let parallelism = request.parallelismConfiguration { pipeline.maxParallelExecutionSteps = parallelism.maxParallelExecutionSteps }
        }) else { throw Self.noSuchPipeline(arn) }
        return UpdatePipelineResponse(pipelineArn: arn, pipelineVersionId: updated.latestVersion)
    }

    public func describePipeline(_ request: DescribePipelineRequest) throws -> DescribePipelineResponse {
        try request.validate()
        let pipeline = try existingPipeline(request.pipelineName!)
        guard let version = try store.version(pipeline.latestVersion, pipelineId: pipeline.id!) else { throw Self.noSuchPipeline(pipeline.arn) }
        return DescribePipelineResponse(
            pipelineArn: pipeline.arn, pipelineName: pipeline.name, pipelineDisplayName: pipeline.displayName ?? pipeline.name,
            pipelineDefinition: version.definition, pipelineDescription: pipeline.pipelineDescription, roleArn: pipeline.roleArn,
            pipelineStatus: PipelineStatus.active.rawValue, creationTime: Self.date(pipeline.creationTime),
            lastModifiedTime: Self.date(pipeline.lastModifiedTime), lastRunTime: pipeline.lastRunTime.map(Self.date),
            createdBy: UserContext(), lastModifiedBy: UserContext(),
            parallelismConfiguration: pipeline.maxParallelExecutionSteps.map { ParallelismConfiguration(maxParallelExecutionSteps: $0) })
    }

    public func listPipelines(_ request: ListPipelinesRequest) throws -> ListPipelinesResponse {
        try request.validate()
        var query = ModelRegistryService.query(sortBy: request.sortBy, sortOrder: request.sortOrder, defaultOrder: .descending,
                                               maxResults: request.maxResults, nameContains: nil,
                                               after: request.createdAfter, before: request.createdBefore)
        query.namePrefix = request.pipelineNamePrefix
        let page = try ModelRegistryService.paged(&query, token: request.nextToken) { try store.pipelines($0) }
        return ListPipelinesResponse(pipelineSummaries: page.rows.map { pipeline in
            PipelineSummary(pipelineArn: pipeline.arn, pipelineName: pipeline.name, pipelineDisplayName: pipeline.displayName ?? pipeline.name,
                            pipelineDescription: pipeline.pipelineDescription, roleArn: pipeline.roleArn,
                            creationTime: Self.date(pipeline.creationTime), lastModifiedTime: Self.date(pipeline.lastModifiedTime),
                            lastExecutionTime: pipeline.lastRunTime.map(Self.date))
        }, nextToken: page.nextToken)
    }

    /// Deletes the pipeline with its versions, executions and tags. As the API reference says, only when
    /// no execution of it runs: they must be stopped first (ConflictException, the model's error for it).
    public func deletePipeline(_ request: DeletePipelineRequest) throws -> DeletePipelineResponse {
        try request.validate()
        let arn = Self.pipelineArn(request.pipelineName!)
        do {
            guard try store.deletePipeline(arn: arn) else { throw Self.noSuchPipeline(arn) }
        } catch PipelineStoreError.hasRunningExecutions(_, let count) {
            throw AWSServiceError(code: "ConflictException", message:
                "Pipeline '\(arn)' has \(count) running execution\(count == 1 ? "" : "s"); stop \(count == 1 ? "it" : "them") with StopPipelineExecution before deleting the pipeline.")
        }
        return DeletePipelineResponse(pipelineArn: arn)
    }

    public func listPipelineVersions(_ request: ListPipelineVersionsRequest) throws -> ListPipelineVersionsResponse {
        try request.validate()
        let pipeline = try existingPipeline(request.pipelineName!)
        var versions = try store.versions(pipelineId: pipeline.id!)
        if let after = request.createdAfter?.timeIntervalSince1970 { versions = versions.filter { $0.creationTime > after } }
        if let before = request.createdBefore?.timeIntervalSince1970 { versions = versions.filter { $0.creationTime < before } }
        if request.sortOrder == "Ascending" { versions.reverse() }
        let page = try Self.page(versions, maxResults: request.maxResults, token: request.nextToken, fingerprint: [pipeline.arn, request.sortOrder ?? ""])
        return ListPipelineVersionsResponse(pipelineVersionSummaries: page.rows.map {
            PipelineVersionSummary(pipelineArn: pipeline.arn, pipelineVersionId: $0.version, creationTime: Self.date($0.creationTime))
        }, nextToken: page.nextToken)
    }

    // MARK: Executions

    /// Checks the parameters against the version's definition and records the execution, Executing, owned by
    /// this process until a runner claims it. The caller starts the runner (`PipelineExecutor`).
    public func startPipelineExecution(_ request: StartPipelineExecutionRequest) throws -> StartPipelineExecutionResponse {
        StartPipelineExecutionResponse(pipelineExecutionArn: try start(request).execution.arn)
    }

    /// StartPipelineExecution; `created` is false for a retried request (its ClientRequestToken already
    /// started an execution, which is returned and must not be run again).
    public func start(_ request: StartPipelineExecutionRequest) throws -> (execution: PipelineExecutionRecord, created: Bool) {
        try request.validate()
        let pipeline = try existingPipeline(request.pipelineName!)
        let versionId = request.pipelineVersionId ?? pipeline.latestVersion
        guard let version = try store.version(versionId, pipelineId: pipeline.id!) else {
            throw AWSServiceError.resourceNotFound("Pipeline version \(versionId) of pipeline '\(pipeline.arn)' does not exist.")
        }
        let definition = try Self.parse(version.definition)
        let given = (request.pipelineParameters ?? []).map { PipelineParameters.Given(name: $0.name ?? "", value: $0.value ?? "") }
        let resolved: [String: JSONValue]
        do {
            resolved = try PipelineParameters.resolve(declared: definition.parameters, given: given)
        } catch {
            throw AWSServiceError.validation(error.message)
        }
        let time = now()
        let executionId = PipelineNames.executionId()
        let arn = PipelineNames.executionArn(region: SageMakerArn.defaultRegion, account: SageMakerArn.defaultAccountID,
                                             pipelineName: pipeline.name, executionId: executionId)
        let runner = ProcessIdentity.current
        let experiment = Self.experiment(of: definition, parameters: resolved, variables: ExecutionVariables(
            pipelineName: pipeline.name, pipelineArn: pipeline.arn, pipelineExecutionId: executionId, pipelineExecutionArn: arn,
            startDateTime: Self.date(time)))
        return try store.insert(PipelineExecutionRecord(
            pipelineId: pipeline.id!, arn: arn, executionId: executionId,
            displayName: request.pipelineExecutionDisplayName ?? "execution-\(Int(time * 1000))",
            executionDescription: request.pipelineExecutionDescription, status: .executing,
            givenParameters: JSONValue.array(given.map { ["Name": .string($0.name), "Value": .string($0.value)] }).canonicalText,
            resolvedParameters: JSONValue.object(resolved).canonicalText,
            maxParallelExecutionSteps: request.parallelismConfiguration?.maxParallelExecutionSteps ?? pipeline.maxParallelExecutionSteps,
            pipelineVersion: versionId, creationTime: time, lastModifiedTime: time,
            runnerPid: runner?.pid, runnerStartTime: runner?.startTime, experimentName: experiment?.experimentName,
            trialName: experiment?.trialName, clientRequestToken: request.clientRequestToken))
    }

    /// The definition's PipelineExperimentConfig evaluated (it may name parameters and execution variables,
    /// as the SDK's default `{PipelineName, PipelineExecutionId}` does); nil when it has none or cannot be evaluated.
    private static func experiment(of definition: PipelineDefinition, parameters: [String: JSONValue],
                                   variables: ExecutionVariables) -> EvaluatedExperimentConfig? {
        let evaluator = ExpressionEvaluator(definition: definition, parameters: parameters, execution: variables, stepProperties: [:],
                                            readJSON: { _ in throw AWSServiceError.validation("PipelineExperimentConfig cannot read S3") })
        return try? evaluator.experimentConfig()
    }

    public func describePipelineExecution(_ request: DescribePipelineExecutionRequest) throws -> DescribePipelineExecutionResponse {
        try request.validate()
        let execution = try existingExecution(request.pipelineExecutionArn!)
        let pipelineArn = try pipelineArn(of: execution)
        return DescribePipelineExecutionResponse(
            pipelineArn: pipelineArn, pipelineExecutionArn: execution.arn, pipelineExecutionDisplayName: execution.displayName,
            pipelineExecutionStatus: execution.status.rawValue, pipelineExecutionDescription: execution.executionDescription,
            pipelineExperimentConfig: execution.experimentName.map {
                SageMakerAPI.PipelineExperimentConfig(experimentName: $0, trialName: execution.trialName) },
            failureReason: execution.failureReason, creationTime: Self.date(execution.creationTime),
            lastModifiedTime: Self.date(execution.lastModifiedTime), createdBy: UserContext(), lastModifiedBy: UserContext(),
            parallelismConfiguration: execution.maxParallelExecutionSteps.map { ParallelismConfiguration(maxParallelExecutionSteps: $0) },
            pipelineVersionId: execution.pipelineVersion)
    }

    public func listPipelineExecutions(_ request: ListPipelineExecutionsRequest) throws -> ListPipelineExecutionsResponse {
        try request.validate()
        let pipeline = try existingPipeline(request.pipelineName!)
        var query = ModelRegistryService.query(sortBy: nil, sortOrder: request.sortOrder, defaultOrder: .descending,
                                               maxResults: request.maxResults, nameContains: nil,
                                               after: request.createdAfter, before: request.createdBefore)
        let page = try ModelRegistryService.paged(&query, token: request.nextToken) { try store.executions(pipelineId: pipeline.id!, $0) }
        return ListPipelineExecutionsResponse(pipelineExecutionSummaries: page.rows.map {
            PipelineExecutionSummary(pipelineExecutionArn: $0.arn, startTime: Self.date($0.creationTime), pipelineExecutionStatus: $0.status.rawValue,
                                     pipelineExecutionDescription: $0.executionDescription, pipelineExecutionDisplayName: $0.displayName,
                                     pipelineExecutionFailureReason: $0.failureReason)
        }, nextToken: page.nextToken)
    }

    /// Newest first by default, and every step in one page unless MaxResults asks for fewer: the SDK's
    /// `list_steps()` reads one page only (spec pitfall 2).
    public func listPipelineExecutionSteps(_ request: ListPipelineExecutionStepsRequest) throws -> ListPipelineExecutionStepsResponse {
        try request.validate()
        let execution = try existingExecution(request.pipelineExecutionArn!)
        var steps = try store.steps(executionId: execution.id!)
        if request.sortOrder == "Ascending" { steps.reverse() }
        let page = try Self.page(steps, maxResults: request.maxResults ?? 100, token: request.nextToken,
                                 fingerprint: [execution.arn, request.sortOrder ?? ""])
        return ListPipelineExecutionStepsResponse(pipelineExecutionSteps: try page.rows.map(Self.step), nextToken: page.nextToken)
    }

    public func listPipelineParametersForExecution(_ request: ListPipelineParametersForExecutionRequest) throws -> ListPipelineParametersForExecutionResponse {
        try request.validate()
        let execution = try existingExecution(request.pipelineExecutionArn!)
        // Every parameter the execution ran with, defaults included, as text (the wire form is strings).
        guard case .object(let values) = try JSONValue(parsing: Data(execution.resolvedParameters.utf8)) else { return .init(pipelineParameters: []) }
        let parameters = values.keys.sorted().map { Parameter(name: $0, value: ExpressionEvaluator.text(of: values[$0]!)) }
        let page = try Self.page(parameters, maxResults: request.maxResults, token: request.nextToken, fingerprint: [execution.arn])
        return ListPipelineParametersForExecutionResponse(pipelineParameters: page.rows, nextToken: page.nextToken)
    }

    public func describePipelineDefinitionForExecution(_ request: DescribePipelineDefinitionForExecutionRequest) throws -> DescribePipelineDefinitionForExecutionResponse {
        try request.validate()
        let execution = try existingExecution(request.pipelineExecutionArn!)
        guard let version = try store.version(execution.pipelineVersion, pipelineId: execution.pipelineId) else {
            throw Self.noSuchExecution(execution.arn)
        }
        return DescribePipelineDefinitionForExecutionResponse(pipelineDefinition: version.definition, creationTime: Self.date(version.creationTime))
    }

    /// Moves an Executing execution to Stopping; its runner sees the request, stops the running steps'
    /// jobs, and ends it Stopped.
    public func stopPipelineExecution(_ request: StopPipelineExecutionRequest) throws -> StopPipelineExecutionResponse {
        try request.validate()
        let arn = request.pipelineExecutionArn!
        guard let execution = try store.updateExecution(arn: arn, { execution in
            guard execution.status == .executing || execution.status == .stopping else {
                // The model's error for a conflicting state.
                throw AWSServiceError(code: "ConflictException", message:
                    "Pipeline execution '\(arn)' is \(execution.status.rawValue): only an Executing execution can be stopped.")
            }
            execution.status = .stopping
            execution.stopRequested = true
            execution.lastModifiedTime = now()
        }) else { throw Self.noSuchExecution(arn) }
        return StopPipelineExecutionResponse(pipelineExecutionArn: execution.arn)
    }

    /// RetryPipelineExecution: a Failed or Stopped execution goes back to Executing, owned by this process
    /// until a runner claims it; the caller runs it with `PipelineExecutor.retry`, which runs the failed and
    /// stopped steps again and keeps the succeeded ones (spec §3). `retried` is false for a repeated request
    /// (the same ClientRequestToken), which must not be run again.
    public func retry(_ request: RetryPipelineExecutionRequest) throws -> (execution: PipelineExecutionRecord, retried: Bool) {
        try request.validate()
        let arn = request.pipelineExecutionArn!
        var retried = true
        let runner = ProcessIdentity.current
        guard let execution = try store.updateExecution(arn: arn, { execution in
            if execution.retryRequestToken == request.clientRequestToken {
                retried = false
                return
            }
            guard execution.status == .failed || execution.status == .stopped else {
                // AWS's text is not published; this one follows its StopPipelineExecution wording
                // ("Only pipelines with 'Executing' status can be stopped") and the model's ConflictException.
                throw AWSServiceError(code: "ConflictException", message:
                    "Pipeline execution '\(arn)' is \(execution.status.rawValue): only pipeline executions with 'Failed' or 'Stopped' status can be retried.")
            }
            execution.status = .executing
            execution.failureReason = nil
            execution.endTime = nil
            execution.stopRequested = false
            execution.lastModifiedTime = now()
            execution.retryRequestToken = request.clientRequestToken
            if let parallelism = request.parallelismConfiguration { execution.maxParallelExecutionSteps = parallelism.maxParallelExecutionSteps }
            execution.runnerPid = runner?.pid
            execution.runnerStartTime = runner?.startTime
        }) else { throw Self.noSuchExecution(arn) }
        return (execution, retried)
    }

    /// Ends Failed every execution whose runner is gone (as `JobService.failInterruptedJobs` does for jobs).
    @discardableResult
    public func failInterruptedExecutions() throws -> [String] {
        try store.failOrphanExecutions(now: now(), reason: Self.restartReason)
    }

    /// Ends Failed the executions this process runs (a server shutting down), as its next start would; their
    /// jobs end with `JobService.failJobsOfThisProcess`. Returns their ARNs.
    @discardableResult
    public func failExecutionsOfThisProcess() throws -> [String] {
        guard let me = ProcessIdentity.current else { return [] }
        return try store.failOrphanExecutions(now: now(), reason: Self.restartReason, runBy: me)
    }

    static let restartReason = "InternalServerError: sagebox restarted while the pipeline execution was running"

    // MARK: Helpers

    func existingPipeline(_ nameOrArn: String) throws -> PipelineRecord {
        let arn = Self.pipelineArn(nameOrArn)
        guard let pipeline = try store.pipeline(arn: arn) else { throw Self.noSuchPipeline(arn) }
        return pipeline
    }

    func existingExecution(_ arn: String) throws -> PipelineExecutionRecord {
        guard let execution = try store.execution(arn: arn) else { throw Self.noSuchExecution(arn) }
        return execution
    }

    private func pipelineArn(of execution: PipelineExecutionRecord) throws -> String {
        // The execution ARN is `<pipeline ARN>/execution/<id>`.
        execution.arn.components(separatedBy: "/execution/").first ?? execution.arn
    }

    /// A PipelineName (a name or an ARN, as the model allows) as the stored ARN (its name lowercased).
    static func pipelineArn(_ nameOrArn: String) -> String {
        ModelRegistryService.lowercasedArn(nameOrArn, of: "pipeline") ?? SageMakerArn.pipeline(nameOrArn).description
    }

    static func noSuchPipeline(_ arn: String) -> AWSServiceError {
        .resourceNotFound("Pipeline '\(arn)' does not exist.")
    }

    static func noSuchExecution(_ arn: String) -> AWSServiceError {
        .resourceNotFound("Pipeline execution '\(arn)' does not exist.")
    }

    /// The definition parsed; what would stop it from running is a ValidationException at Create/Update/Start.
    static func parse(_ text: String) throws -> PipelineDefinition {
        do {
            return try PipelineDefinition(parsing: text)
        } catch {
            throw AWSServiceError.validation("Unable to parse pipeline definition: \(error.message)")
        }
    }

    /// The definition from the request, or from the fake S3 when it gives PipelineDefinitionS3Location.
    private func definitionText(_ inline: String?, _ location: PipelineDefinitionS3Location?) throws -> String {
        let text: String
        if let inline {
            text = inline
        } else if let location, let bucket = location.bucket, let key = location.objectKey {
            do {
                text = String(decoding: try Data(contentsOf: try root.s3.getObject(bucket: bucket, key: key).url), as: UTF8.self)
            } catch {
                throw AWSServiceError.validation("Could not read the pipeline definition at s3://\(bucket)/\(key): \(error)")
            }
        } else {
            throw AWSServiceError.validation("Either PipelineDefinition or PipelineDefinitionS3Location must be specified.")
        }
        _ = try Self.parse(text)
        return text
    }

    static func step(_ record: PipelineStepRecord) throws -> PipelineExecutionStep {
        let metadata: PipelineExecutionStepMetadata? = try record.metadata.map { try ModelRegistryService.decode($0) }
        return PipelineExecutionStep(
            stepName: record.name, stepDisplayName: record.displayName, stepDescription: record.stepDescription,
            startTime: date(record.startTime), endTime: record.endTime.map(date), stepStatus: record.status.rawValue,
            cacheHitResult: record.cacheSourceExecutionArn.map { CacheHitResult(sourcePipelineExecutionArn: $0) },
            failureReason: record.failureReason, metadata: metadata ?? PipelineExecutionStepMetadata(), attemptCount: record.attemptCount)
    }

    /// One page of rows already in order, by offset, MaxResults (default 100) at a time.
    static func page<Row>(_ rows: [Row], maxResults: Int?, token: String?, fingerprint: [String]) throws -> (rows: [Row], nextToken: String?) {
        let offset = try token.map { try ListToken.offset(from: $0, fingerprint: fingerprint) } ?? 0
        let size = maxResults ?? 100
        let slice = Array(rows.dropFirst(offset).prefix(size))
        let more = rows.count > offset + slice.count
        return (slice, more ? ListToken.make(offset: offset + slice.count, fingerprint: fingerprint) : nil)
    }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
}
