import ArgumentParser
import Foundation
import JobStore
import PipelineEngine
import ProcessIdentity
import ProcessingEngine
import SageMakerAPI

/// `sagebox pipeline start|retry|list|describe|steps`: SageMaker Pipelines on the command line, run in this
/// process on the root as `run` runs jobs (no server needed).
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Run SageMaker Pipelines from their JSON definition, and see their executions.",
        subcommands: [PipelineStart.self, PipelineRetry.self, PipelineList.self, PipelineDescribe.self, PipelineSteps.self,
                      PipelineRunExecution.self])
}

/// How the jobs of an execution run, and where the execution runs (here with --wait, else a background process).
struct PipelineRunOptions: ParsableArguments {
    @Flag(help: "Run the execution in this process, wait until it ends and print its steps; exit 0 only when it Succeeded.")
    var wait = false

    @OptionGroup var limits: JobLimitsOptions
    @OptionGroup var reserve: HostReserveOptions

    var settings: RunnerSettings { limits.settings(reserve: reserve) }

    /// Runs the execution (already Executing) here with --wait, or in a background `pipeline run-execution`.
    func run(_ arn: String, retrying: Bool, global: GlobalOptions, root: SageboxRoot) throws {
        Output.line(arn)
        guard wait else { return try startBackgroundRunner(arn, retrying: retrying, root: root) }
        let pipelines = PipelineService(root: root)
        let interrupt = StopOnInterrupt(stopping: arn) {
            _ = try? pipelines.stopPipelineExecution(StopPipelineExecutionRequest(pipelineExecutionArn: arn))
        }
        defer { interrupt.cancel() }
        let executor = PipelineExecutor(root: root, settings: settings)
        let progress = try root.pipelines.execution(arn: arn)?.id.map { StepProgress(store: root.pipelines, executionId: $0) }
        let execution = retrying ? try executor.retry(executionArn: arn) : try executor.run(executionArn: arn)
        progress?.finish()
        for line in try ExecutionView(execution: execution, root: root, rootOption: global.root).lines { Output.line(line) }
        if execution.status != .succeeded { throw ExitCode(1) }
    }

    /// Starts `sagebox pipeline run-execution ARN` detached from this terminal and hands the execution to it.
    private func startBackgroundRunner(_ arn: String, retrying: Bool, root: SageboxRoot) throws {
        let runner = Process()
        runner.executableURL = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath()
        runner.arguments = ["pipeline", "run-execution", arn, "--root", root.url.path] + limits.arguments
            + (retrying ? ["--retrying"] : []) + reserve.arguments
        runner.standardInput = FileHandle.nullDevice
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        try runner.run()
        // As `run` does for jobs: the execution is the runner's from now on, so that it neither fails when
        // this command exits nor waits forever for a runner that died.
        if let identity = ProcessIdentity(pid: Int(runner.processIdentifier)) {
            try root.pipelines.updateExecution(arn: arn) { $0.runnerPid = identity.pid; $0.runnerStartTime = identity.startTime }
        }
    }
}

/// `sagebox pipeline start DEFINITION.json --name NAME`: upsert (CreatePipeline, else UpdatePipeline) and
/// StartPipelineExecution.
struct PipelineStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Create or update a pipeline from its definition and start an execution; print the execution's ARN.",
        discussion: """
            DEFINITION.json is the pipeline definition (what the SDK's pipeline.definition() returns). As the SDK's \
            upsert() does, a new name creates the pipeline and a known one gets the definition as a new version.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PipelineRunOptions

    @Argument(help: ArgumentHelp("The pipeline definition, as JSON.", valueName: "DEFINITION.json"))
    var definitionFile: String

    @Option(help: "The pipeline's name.")
    var name: String

    @Option(name: .customLong("parameter"), help: ArgumentHelp("A pipeline parameter for this execution (repeatable).", valueName: "Name=Value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("The pipeline's RoleArn.", valueName: "arn"))
    var role = "arn:aws:iam::\(SageMakerArn.defaultAccountID):role/SageMakerRole"

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--parameter \(parameter): expected Name=Value.")
        }
    }

    func run() throws {
        let definition: String
        do {
            definition = try String(contentsOf: URL(filePath: definitionFile), encoding: .utf8)
        } catch {
            throw CommandFailure("cannot read \(definitionFile): \(error.localizedDescription)")
        }
        let root = try global.open()
        let service = PipelineService(root: root)
        try upsert(definition, service)
        var request = StartPipelineExecutionRequest()
        request.pipelineName = name
        request.clientRequestToken = UUID().uuidString
        request.pipelineParameters = parameters.map { parameter in
            let (key, value) = parameter.split(separator: "=", maxSplits: 1).map(String.init).pair
            return Parameter(name: key, value: value)
        }
        let started = try calling("StartPipelineExecution") { try service.start(request) }
        try options.run(started.execution.arn, retrying: false, global: global, root: root)
    }

    private func upsert(_ definition: String, _ service: PipelineService) throws {
        var create = CreatePipelineRequest()
        create.pipelineName = name
        create.pipelineDefinition = definition
        create.roleArn = role
        create.clientRequestToken = UUID().uuidString
        do {
            _ = try service.createPipeline(create)
        } catch let error as AWSServiceError where error.code == "ValidationException" && error.message.contains("already exists") {
            var update = UpdatePipelineRequest()
            update.pipelineName = name
            update.pipelineDefinition = definition
            update.roleArn = role
            _ = try calling("UpdatePipeline") { try service.updatePipeline(update) }
        } catch {
            throw CommandFailure.api(error, operation: "CreatePipeline")
        }
    }
}

private extension Array where Element == String {
    /// `["a", "b"]` as `("a", "b")`; a missing second part is empty.
    var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}

/// `sagebox pipeline retry EXECUTION`: RetryPipelineExecution (the failed and stopped steps run again).
struct PipelineRetry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Run the failed and stopped steps of a Failed or Stopped execution again (RetryPipelineExecution).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PipelineRunOptions

    @OptionGroup var execution: ExecutionArgument

    func run() throws {
        let (root, record) = try execution.find(global)
        let service = PipelineService(root: root)
        let arn = record.arn
        var request = RetryPipelineExecutionRequest()
        request.pipelineExecutionArn = arn
        request.clientRequestToken = UUID().uuidString
        _ = try calling("RetryPipelineExecution") { try service.retry(request) }
        try options.run(arn, retrying: true, global: global, root: root)
    }
}

/// The background half of `pipeline start` without --wait: runs one execution to its end.
struct PipelineRunExecution: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-execution", abstract: "Run a started pipeline execution to its end (used by `pipeline start`).",
        shouldDisplay: false)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PipelineRunOptions

    @Argument var arn: String

    @Flag var retrying = false

    func run() throws {
        // The terminal that started `pipeline start` may close; the execution goes on.
        signal(SIGHUP, SIG_IGN)
        let executor = PipelineExecutor(root: try global.open(), settings: options.settings)
        _ = retrying ? try executor.retry(executionArn: arn) : try executor.run(executionArn: arn)
    }
}

/// `sagebox pipeline list [--name NAME]`: the pipelines, or one pipeline's executions, newest first.
struct PipelineList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the pipelines (ListPipelines), or with --name that pipeline's executions, newest first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "List this pipeline's executions (status, start, end).")
    var name: String?

    func run() throws {
        let root = try global.open()
        let service = PipelineService(root: root)
        try service.failInterruptedExecutions()
        guard let name else { return try listPipelines(service, root) }
        guard let pipeline = try root.pipelines.pipeline(arn: SageMakerArn.pipeline(name).description) else {
            throw CommandFailure("An error occurred (ResourceNotFound) when calling the ListPipelineExecutions operation: Pipeline '\(SageMakerArn.pipeline(name))' does not exist.")
        }
        var rows = [["EXECUTION", "STATUS", "STARTED", "ENDED", "DURATION", "FAILURE"]]
        var token: String?
        repeat {
            var request = ListPipelineExecutionsRequest()
            request.pipelineName = pipeline.name
            request.maxResults = 100
            request.nextToken = token
            let page = try calling("ListPipelineExecutions") { try service.listPipelineExecutions(request) }
            for summary in page.pipelineExecutionSummaries ?? [] {
                guard let arn = summary.pipelineExecutionArn, let execution = try root.pipelines.execution(arn: arn) else { continue }
                rows.append([execution.executionId, execution.status.rawValue, Output.timestamp(ExecutionView.date(execution.creationTime)),
                             execution.endTime.map { Output.timestamp(ExecutionView.date($0)) } ?? "-",
                             ExecutionView.duration(from: execution.creationTime, to: execution.endTime), execution.failureReason ?? ""])
            }
            token = page.nextToken
        } while token != nil
        Output.table(rows)
    }

    private func listPipelines(_ service: PipelineService, _ root: SageboxRoot) throws {
        var rows = [["PIPELINE", "VERSION", "CREATED", "LAST RUN", "LAST STATUS"]]
        var token: String?
        repeat {
            var request = ListPipelinesRequest()
            request.maxResults = 100
            request.nextToken = token
            let page = try calling("ListPipelines") { try service.listPipelines(request) }
            for summary in page.pipelineSummaries ?? [] {
                guard let arn = summary.pipelineArn, let pipeline = try root.pipelines.pipeline(arn: arn) else { continue }
                let newest = try root.pipelines.newestExecution(pipelineId: pipeline.id!)
                rows.append([pipeline.name, String(pipeline.latestVersion), Output.timestamp(ExecutionView.date(pipeline.creationTime)),
                             pipeline.lastRunTime.map { Output.timestamp(ExecutionView.date($0)) } ?? "-", newest?.status.rawValue ?? "-"])
            }
            token = page.nextToken
        } while token != nil
        Output.table(rows)
    }
}

/// `sagebox pipeline describe EXECUTION`: the execution and its DAG, each step with its status and time.
struct PipelineDescribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show an execution: status, times, FailureReason, and its steps drawn as a tree in dependency order.",
        discussion: """
            A failed step shows its FailureReason and, when it ran a job, the command that prints that job's logs. \
            --json prints DescribePipelineExecution's JSON instead.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var execution: ExecutionArgument

    @Flag(help: "Print DescribePipelineExecution's JSON instead.")
    var json = false

    func run() throws {
        let (root, record) = try execution.find(global)
        if json {
            return try Output.json(try calling("DescribePipelineExecution") {
                try PipelineService(root: root).describePipelineExecution(DescribePipelineExecutionRequest(pipelineExecutionArn: record.arn))
            })
        }
        for line in try ExecutionView(execution: record, root: root, rootOption: global.root).lines { Output.line(line) }
    }
}

/// `sagebox pipeline steps EXECUTION`: ListPipelineExecutionSteps, newest first.
struct PipelineSteps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps", abstract: "List an execution's steps, newest first (ListPipelineExecutionSteps).")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var execution: ExecutionArgument

    @Flag(help: "Print ListPipelineExecutionSteps' JSON instead of a table.")
    var json = false

    func run() throws {
        let (root, record) = try execution.find(global)
        let service = PipelineService(root: root)
        let response = try calling("ListPipelineExecutionSteps") {
            try service.listPipelineExecutionSteps(ListPipelineExecutionStepsRequest(pipelineExecutionArn: record.arn))
        }
        if json { return try Output.json(response) }
        var rows = [["STEP", "STATUS", "STARTED", "DURATION", "ATTEMPT", "DETAIL"]]
        for step in response.pipelineExecutionSteps ?? [] {
            let start = step.startTime?.timeIntervalSince1970
            var detail = step.failureReason ?? ""
            if let source = step.cacheHitResult?.sourcePipelineExecutionArn { detail = "cache hit: \(source)" }
            if detail.isEmpty, let outcome = step.metadata?.condition?.outcome { detail = "Outcome: \(outcome)" }
            if detail.isEmpty, let arn = ExecutionView.resourceArn(step.metadata) { detail = arn }
            rows.append([step.stepName ?? "", step.stepStatus ?? "", start.map { Output.timestamp(ExecutionView.date($0)) } ?? "",
                         start.map { ExecutionView.duration(from: $0, to: step.endTime?.timeIntervalSince1970) } ?? "",
                         step.attemptCount.map(String.init) ?? "", detail])
        }
        Output.table(rows)
    }
}

/// The EXECUTION of `pipeline describe`, `steps` and `retry`: its ARN, its 12-character id, or a pipeline's
/// name (its newest execution).
struct ExecutionArgument: ParsableArguments {
    @Argument(help: "The execution: its ARN, its id, or a pipeline's name (its newest execution).")
    var execution: String

    /// The root (where executions whose runner is gone have ended Failed first) and the execution named.
    func find(_ global: GlobalOptions) throws -> (SageboxRoot, PipelineExecutionRecord) {
        let root = try global.open()
        try PipelineService(root: root).failInterruptedExecutions()
        return (root, try Self.find(execution, in: root))
    }

    static func find(_ name: String, in root: SageboxRoot) throws -> PipelineExecutionRecord {
        if name.hasPrefix("arn:") {
            if let execution = try root.pipelines.execution(arn: name) { return execution }
        } else if let pipeline = try root.pipelines.pipeline(arn: SageMakerArn.pipeline(name).description) {
            if let newest = try root.pipelines.newestExecution(pipelineId: pipeline.id!) { return newest }
            throw CommandFailure("Pipeline '\(pipeline.name)' has no execution yet.")
        } else if let execution = try root.pipelines.execution(executionId: name) {
            return execution
        }
        throw CommandFailure("An error occurred (ResourceNotFound) when calling the DescribePipelineExecution operation: Pipeline execution '\(name)' does not exist.")
    }
}
