import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// The pipeline operations and the executor without HTTP: versions, AWS's texts, and executions whose
/// steps run as real processing jobs on a real root (Get between steps, a property file read by a
/// Condition, both branches, Model and RegisterModel steps, a Fail step, parallelism, a dead runner).
@Suite struct PipelineServiceTests {
    let fixture: EngineFixture
    let service: PipelineService
    let executor: PipelineExecutor
    static let role = "arn:aws:iam::000000000000:role/SageMakerRole"

    init() throws {
        fixture = try EngineFixture()
        service = PipelineService(root: fixture.root)
        executor = PipelineExecutor(root: fixture.root, settings: fixture.runner.settings)
    }

    private func failure(_ body: () throws -> Void) -> AWSServiceError? {
        do { try body() } catch let error as AWSServiceError { return error } catch { return nil }
        return nil
    }

    /// A Processing step running `/bin/sh -c script`, with outputs to `s3://lab/<step>/<output>` and inputs by URI expression.
    private func processing(_ name: String, _ script: String, inputs: [(String, JSONValue)] = [], outputs: [String] = [],
                            extra: [String: JSONValue] = [:]) -> JSONValue {
        var arguments: [String: JSONValue] = [
            "ProcessingResources": ["ClusterConfig": ["InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1]],
            "AppSpecification": ["ImageUri": "local/test", "ContainerEntrypoint": ["/bin/sh", "-c", .string(script)]],
            "RoleArn": .string(Self.role),
        ]
        if !inputs.isEmpty {
            arguments["ProcessingInputs"] = .array(inputs.map { input, uri in
                ["InputName": .string(input), "S3Input": ["S3Uri": uri, "LocalPath": .string("/opt/ml/processing/\(input)"),
                                                          "S3DataType": "S3Prefix", "S3InputMode": "File"]]
            })
        }
        if !outputs.isEmpty {
            arguments["ProcessingOutputConfig"] = ["Outputs": .array(outputs.map { output in
                ["OutputName": .string(output), "S3Output": ["S3Uri": .string("s3://lab/\(name)/\(output)"),
                                                             "LocalPath": .string("/opt/ml/processing/\(output)"), "S3UploadMode": "EndOfJob"]]
            })]
        }
        var step: [String: JSONValue] = ["Name": .string(name), "Type": "Processing", "Arguments": .object(arguments)]
        step.merge(extra) { $1 }
        return .object(step)
    }

    private func definition(_ steps: [JSONValue], parameters: [JSONValue] = []) -> String {
        JSONValue.object(["Version": "2020-12-01", "Parameters": .array(parameters), "Steps": .array(steps)]).canonicalText
    }

    private func create(_ steps: [JSONValue], parameters: [JSONValue] = [], parallelism: Int? = nil) throws -> String {
        let name = "p-\(UUID().uuidString.prefix(8))"
        _ = try service.createPipeline(CreatePipelineRequest(
            pipelineName: name, pipelineDefinition: definition(steps, parameters: parameters), clientRequestToken: UUID().uuidString,
            roleArn: Self.role, parallelismConfiguration: parallelism.map { ParallelismConfiguration(maxParallelExecutionSteps: $0) }))
        return name
    }

    /// Starts and runs an execution to its end; returns its ARN and its steps, newest first.
    private func execute(_ pipeline: String, _ parameters: [String: String] = [:]) throws -> (PipelineExecutionRecord, [PipelineExecutionStep]) {
        let arn = try service.startPipelineExecution(StartPipelineExecutionRequest(
            pipelineName: pipeline, pipelineParameters: parameters.map { Parameter(name: $0.key, value: $0.value) },
            clientRequestToken: UUID().uuidString)).pipelineExecutionArn!
        let execution = try executor.run(executionArn: arn)
        let steps = try service.listPipelineExecutionSteps(ListPipelineExecutionStepsRequest(pipelineExecutionArn: arn)).pipelineExecutionSteps!
        return (execution, steps)
    }

    @Test func createUpdateAndVersions() throws {
        let first = definition([processing("A", "true")])
        let name = try create([processing("A", "true")])
        let duplicate = failure { _ = try service.createPipeline(CreatePipelineRequest(
            pipelineName: name, pipelineDefinition: first, clientRequestToken: UUID().uuidString, roleArn: Self.role)) }
        #expect(duplicate?.code == "ValidationException")
        #expect(duplicate?.message == "Pipeline names must be unique within an AWS account and region. Pipeline with name (\(name)) already exists.")

        let second = definition([processing("A", "echo two")])
        #expect(try service.updatePipeline(UpdatePipelineRequest(pipelineName: name, pipelineDefinition: second)).pipelineVersionId == 2)
        #expect(try service.updatePipeline(UpdatePipelineRequest(pipelineName: name, pipelineDescription: "no new version")).pipelineVersionId == 2)
        let versions = try service.listPipelineVersions(ListPipelineVersionsRequest(pipelineName: name)).pipelineVersionSummaries!
        #expect(versions.map(\.pipelineVersionId) == [2, 1])
        let described = try service.describePipeline(DescribePipelineRequest(pipelineName: name.uppercased()))
        #expect(described.pipelineDefinition == second)
        #expect(described.pipelineDescription == "no new version")

        // An execution runs the version it started with, whatever comes after.
        let started = try service.startPipelineExecution(StartPipelineExecutionRequest(pipelineName: name, clientRequestToken: UUID().uuidString))
        _ = try service.updatePipeline(UpdatePipelineRequest(pipelineName: name, pipelineDefinition: first))
        let ran = try service.describePipelineDefinitionForExecution(.init(pipelineExecutionArn: started.pipelineExecutionArn))
        #expect(ran.pipelineDefinition == second)
        #expect(try service.describePipelineExecution(.init(pipelineExecutionArn: started.pipelineExecutionArn)).pipelineVersionId == 2)

        // Not while an execution runs (the API reference: stop them first); once it has ended, yes.
        let running = failure { _ = try service.deletePipeline(DeletePipelineRequest(pipelineName: name, clientRequestToken: UUID().uuidString)) }
        #expect(running?.code == "ConflictException")
        #expect(try executor.run(executionArn: started.pipelineExecutionArn!).status == .succeeded)
        _ = try service.deletePipeline(DeletePipelineRequest(pipelineName: name, clientRequestToken: UUID().uuidString))
        let missing = failure { _ = try service.describePipeline(DescribePipelineRequest(pipelineName: name)) }
        #expect(missing?.code == "ResourceNotFound")
        #expect(missing?.message == "Pipeline 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/\(name.lowercased())' does not exist.")
    }

    /// Evaluate writes a property file; Copy reads Evaluate's output through Get; a Condition on the file
    /// chooses between a Model + RegisterModel branch and a Fail step.
    private func evaluationPipeline() throws -> String {
        let evaluate = processing("Evaluate", #"echo '{"accuracy": 0.8}' > /opt/ml/processing/report/evaluation.json"#, outputs: ["report"], extra: [
            "PropertyFiles": [["PropertyFileName": "Report", "OutputName": "report", "FilePath": "evaluation.json"]]])
        let copy = processing("Copy", "cp /opt/ml/processing/in/evaluation.json /opt/ml/processing/out/copied.json",
                              inputs: [("in", ["Get": "Steps.Evaluate.ProcessingOutputConfig.Outputs['report'].S3Output.S3Uri"])],
                              outputs: ["out"])
        let model: JSONValue = ["Name": "CreateModel", "Type": "Model", "Arguments": [
            "ExecutionRoleArn": .string(Self.role),
            "PrimaryContainer": ["Image": "local/xgboost", "ModelDataUrl": ["Std:Join": ["On": "/", "Values": [
                ["Get": "Steps.Copy.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri"], "copied.json"]]]]]]
        let register: JSONValue = ["Name": "Register", "Type": "RegisterModel", "DependsOn": ["CreateModel"], "Arguments": [
            "ModelPackageGroupName": "EvaluatedModels", "ModelApprovalStatus": "PendingManualApproval",
            "InferenceSpecification": ["Containers": [["Image": "local/xgboost"]], "SupportedContentTypes": ["text/csv"],
                                       "SupportedResponseMIMETypes": ["text/csv"]]]]
        let fail: JSONValue = ["Name": "TooLow", "Type": "Fail", "Arguments": ["ErrorMessage": ["Std:Join": ["On": " ", "Values": [
            "accuracy under", ["Get": "Parameters.Threshold"]]]]]]
        let condition: JSONValue = ["Name": "Check", "Type": "Condition", "Arguments": [
            "Conditions": [["Type": "GreaterThanOrEqualTo",
                            "LeftValue": ["Std:JsonGet": ["PropertyFile": ["Get": "Steps.Evaluate.PropertyFiles.Report"], "Path": "accuracy"]],
                            "RightValue": ["Get": "Parameters.Threshold"]]],
            "IfSteps": [model, register], "ElseSteps": [fail]]]
        return try create([evaluate, copy, condition], parameters: [["Name": "Threshold", "Type": "Float", "DefaultValue": 0.5]])
    }

    @Test func anExecutionRunsJobsAndTheTrueBranch() throws {
        let pipeline = try evaluationPipeline()
        let (execution, steps) = try execute(pipeline)
        #expect(execution.status == .succeeded, "\(steps)")
        #expect(steps.map(\.stepName) == ["Register", "CreateModel", "Check", "Copy", "Evaluate"])
        #expect(steps.allSatisfy { $0.stepStatus == "Succeeded" })
        #expect(try fixture.text("Copy/out/copied.json") == "{\"accuracy\": 0.8}\n")
        #expect(steps[2].metadata?.condition?.outcome == "True")

        let modelArn = try #require(steps[1].metadata?.model?.arn)
        let modelName = String(modelArn.split(separator: "/").last!)
        #expect(modelName.hasPrefix("pipelines-\(execution.executionId)-createmodel-"))
        let model = try ModelRegistryService(root: fixture.root).describeModel(DescribeModelInput(modelName: modelName))
        #expect(model.primaryContainer?.modelDataUrl == "s3://lab/Copy/out/copied.json")
        #expect(steps[0].metadata?.registerModel?.arn == "arn:aws:sagemaker:us-east-1:000000000000:model-package/evaluatedmodels/1")

        let copyJob = try #require(steps[3].metadata?.processingJob?.arn)
        let tags = try JobService(root: fixture.root).listTags(ListTagsInput(resourceArn: copyJob)).tags ?? []
        #expect(tags.contains(Tag(key: "sagemaker:pipeline-execution-arn", value: execution.arn)))
    }

    @Test func theFalseBranchFailStepFailsTheExecution() throws {
        let pipeline = try evaluationPipeline()
        let (execution, steps) = try execute(pipeline, ["Threshold": "0.9"])
        #expect(execution.status == .failed)
        #expect(execution.failureReason == "Step failure: One or multiple steps failed.")
        #expect(steps.map(\.stepName) == ["TooLow", "Check", "Copy", "Evaluate"])
        #expect(steps[0].stepStatus == "Failed")
        #expect(steps[0].failureReason == "accuracy under 0.9")
        #expect(steps[0].metadata?.fail?.errorMessage == "accuracy under 0.9")
        #expect(steps[1].metadata?.condition?.outcome == "False")
    }

    @Test(arguments: [1, 2]) func parallelism(_ steps: Int) throws {
        let pipeline = try create([processing("Left", "sleep 1"), processing("Right", "sleep 1")], parallelism: steps)
        let (execution, listed) = try execute(pipeline)
        #expect(execution.status == .succeeded)
        let left = try #require(listed.first { $0.stepName == "Left" }), right = try #require(listed.first { $0.stepName == "Right" })
        let overlap = left.startTime! < right.endTime! && right.startTime! < left.endTime!
        #expect(overlap == (steps == 2))
    }

    @Test func anExpressionErrorFailsItsStep() throws {
        let pipeline = try create([processing("Reader", "true", inputs: [("in", ["Std:JsonGet": ["S3Uri": "s3://lab/missing.json", "Path": "x"]])])])
        let (execution, steps) = try execute(pipeline)
        #expect(execution.status == .failed)
        #expect(steps.first?.failureReason?.hasPrefix("Std:JsonGet could not read s3://lab/missing.json") == true)
    }

    @Test func anExecutionWhoseRunnerIsGoneEndsFailed() throws {
        let pipeline = try create([processing("A", "true")])
        let arn = try service.startPipelineExecution(StartPipelineExecutionRequest(pipelineName: pipeline, clientRequestToken: UUID().uuidString))
            .pipelineExecutionArn!
        // A runner that no longer exists (pid 0 is never a user process's, and the start time cannot match).
        try fixture.root.pipelines.updateExecution(arn: arn) { $0.runnerPid = Int(Int32.max); $0.runnerStartTime = 1 }
        #expect(try service.failInterruptedExecutions() == [arn])
        let described = try service.describePipelineExecution(.init(pipelineExecutionArn: arn))
        #expect(described.pipelineExecutionStatus == "Failed")
        #expect(described.failureReason == "InternalServerError: sagebox restarted while the pipeline execution was running")
    }
}
