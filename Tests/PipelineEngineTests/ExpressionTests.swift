import Foundation
import SageMakerAPI
import Testing
@testable import PipelineEngine

/// `Get`, `Std:Join` and `Std:JsonGet` (spec §2, "Executor behaviours" 4).
@Suite struct ExpressionTests {
    /// DescribeProcessingJob-shaped properties of the churn pipeline's processing steps.
    static let processProperties: JSONValue = [
        "ProcessingJobName": "pipelines-ab12cd34ef56-ChurnProcess-AbCdEfGhIj",
        "ProcessingOutputConfig": ["Outputs": [
            ["OutputName": "train", "S3Output": ["S3Uri": "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/train"]],
            ["OutputName": "validation", "S3Output": ["S3Uri": "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/validation"]],
            ["OutputName": "test", "S3Output": ["S3Uri": "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/test"]],
        ]],
    ]
    static let trainProperties: JSONValue = [
        "ModelArtifacts": ["S3ModelArtifacts": "s3://lab/churn/model/pipelines-ab12cd34ef56-ChurnTrain-x/output/model.tar.gz"],
        "FinalMetricDataList": [["MetricName": "validation:auc", "Value": 0.91]],
    ]
    static let evalProperties: JSONValue = [
        "ProcessingOutputConfig": ["Outputs": [["OutputName": "evaluation", "S3Output": ["S3Uri": "s3://lab/churn/ab12cd34ef56/evaluation/"]]]],
    ]

    func churnEvaluator(documents: [String: JSONValue] = [:]) throws -> ExpressionEvaluator {
        let definition = try Fixture.churnPipeline()
        let parameters = try PipelineParameters.resolve(declared: definition.parameters, given: [.init(name: "MaxDepth", value: "6")])
        return Fixture.evaluator(
            definition, parameters: parameters,
            properties: ["ChurnProcess": Self.processProperties, "ChurnTrain": Self.trainProperties, "ChurnEval": Self.evalProperties],
            documents: documents
        )
    }

    @Test func parametersKeepTheirTypeWhereTheyStandAlone() throws {
        let evaluator = try churnEvaluator()
        let process = try #require(evaluator.definition.step(named: "ChurnProcess"))
        let arguments = try evaluator.evaluate(process.arguments)
        #expect(arguments["ProcessingResources"]?["ClusterConfig"] == ["InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30])
        #expect(arguments["ProcessingInputs"]?.arrayValue?[0]["S3Input"]?["S3Uri"] == "s3://lab/churn/raw/churn.csv")
        #expect(arguments["ProcessingOutputConfig"]?["Outputs"]?.arrayValue?[2]["S3Output"]?["S3Uri"]
            == "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/test")
    }

    @Test func trainingArgumentsOfAppendixA() throws {
        let evaluator = try churnEvaluator()
        let train = try #require(evaluator.definition.step(named: "ChurnTrain"))
        let arguments = try evaluator.evaluate(train.arguments)
        // An Integer parameter joined as 6, a Float as 0.2 (spec pitfall 6).
        #expect(arguments["HyperParameters"] == [
            "objective": "binary:logistic", "num_round": "50", "max_depth": "6", "eta": "0.2", "gamma": "4",
            "min_child_weight": "6", "subsample": "0.7",
        ])
        let channels = try #require(arguments["InputDataConfig"]?.arrayValue)
        #expect(channels.map { $0["DataSource"]?["S3DataSource"]?["S3Uri"] } == [
            "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/train",
            "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/validation",
        ])
        #expect(arguments["ResourceConfig"]?["InstanceType"] == "ml.m5.xlarge")
    }

    @Test func stepPropertiesByNameAndByIndex() throws {
        let evaluator = try churnEvaluator()
        #expect(try evaluator.evaluate(["Get": "Steps.ChurnProcess.ProcessingOutputConfig.Outputs[1].S3Output.S3Uri"])
            == "s3://lab/ChurnPipeline/ab12cd34ef56/ChurnProcess/output/validation")
        #expect(try evaluator.evaluate(["Get": "Steps.ChurnTrain.FinalMetricDataList['validation:auc'].Value"]) == 0.91)
        #expect(try evaluator.evaluate(["Get": "Steps.ChurnTrain"]) == Self.trainProperties)
        #expect(errorMessage { _ = try evaluator.evaluate(["Get": "Steps.ChurnTrain."]) }
            == "'Steps.ChurnTrain.' is not a step property reference: it must be Steps.<StepName>.<property path>")
        #expect(try evaluator.evaluate(["Get": "Steps.ChurnTrain.ModelArtifacts.S3ModelArtifacts"])
            == "s3://lab/churn/model/pipelines-ab12cd34ef56-ChurnTrain-x/output/model.tar.gz")
    }

    @Test(arguments: [
        ("Steps.ChurnProcess.ProcessingOutputConfig.Outputs['tran'].S3Output.S3Uri",
         "Get 'Steps.ChurnProcess.ProcessingOutputConfig.Outputs['tran'].S3Output.S3Uri' does not resolve: 'ProcessingOutputConfig.Outputs' has no member named 'tran'"),
        ("Steps.ChurnProcess.ProcessingOutputConfig.Outputs[3]",
         "Get 'Steps.ChurnProcess.ProcessingOutputConfig.Outputs[3]' does not resolve: index 3 is out of range for 'ProcessingOutputConfig.Outputs', which has 3 members"),
        ("Steps.ChurnTrain.ModelArtifact.S3ModelArtifacts",
         "Get 'Steps.ChurnTrain.ModelArtifact.S3ModelArtifacts' does not resolve: the top level has no member 'ModelArtifact'"),
        ("Steps.ChurnTrain.ModelArtifacts.S3ModelArtifacts.Bucket",
         "Get 'Steps.ChurnTrain.ModelArtifacts.S3ModelArtifacts.Bucket' does not resolve: 'ModelArtifacts.S3ModelArtifacts' is a string, not an object"),
        ("Steps.ChurnAccuracyCheck.Outcome",
         "Get 'Steps.ChurnAccuracyCheck.Outcome': step 'ChurnAccuracyCheck' has no properties, because it has not succeeded in this execution"),
    ])
    func missingPropertiesAreNamed(reference: String, message: String) throws {
        let evaluator = try churnEvaluator()
        #expect(errorMessage { _ = try evaluator.evaluate(["Get": .string(reference)]) } == message)
    }

    @Test func executionVariables() throws {
        var evaluator = try churnEvaluator()
        #expect(try evaluator.evaluate(["Get": "Execution.PipelineExecutionId"]) == "ab12cd34ef56")
        #expect(try evaluator.evaluate(["Get": "Execution.PipelineExecutionArn"]) == .string(Fixture.execution.pipelineExecutionArn))
        #expect(try evaluator.evaluate(["Get": "Execution.PipelineName"]) == "ChurnPipeline")
        #expect(try evaluator.evaluate(["Get": "Execution.PipelineArn"]) == .string(Fixture.execution.pipelineArn))
        #expect(try evaluator.evaluate(["Get": "Execution.StartDateTime"]) == "2025-12-01T04:00:00.250Z")
        #expect(try evaluator.evaluate(["Get": "Execution.CurrentDateTime"]) == "2025-12-01T04:01:40.000Z")
        #expect(errorMessage { _ = try evaluator.evaluate(["Get": "Execution.TrainingJobName"]) }
            == "Get 'Execution.TrainingJobName' is only available inside the arguments of a step that runs a job")
        evaluator.jobName = "pipelines-ab12cd34ef56-ChurnTrain-AbCdEfGhIj"
        #expect(try evaluator.evaluate(["Get": "Execution.TrainingJobName"]) == "pipelines-ab12cd34ef56-ChurnTrain-AbCdEfGhIj")
    }

    @Test func joinRendersEachKindOfValue() throws {
        let evaluator = try churnEvaluator()
        let join: JSONValue = ["Std:Join": ["On": ",", "Values": [
            "a", 5, 0.5, 1.0, true, false, ["Get": "Parameters.MaxDepth"], ["Get": "Parameters.AccuracyThreshold"],
            ["Std:Join": ["On": "-", "Values": ["x", ["Get": "Execution.PipelineExecutionId"]]]], .null,
        ]]]
        #expect(try evaluator.evaluate(join) == "a,5,0.5,1.0,true,false,6,0.7,x-ab12cd34ef56,")
        // The Fail step of Appendix A.
        let fail = try #require(evaluator.definition.step(named: "ChurnAccuracyTooLow")?.errorMessage)
        #expect(try evaluator.evaluate(fail) == "Accuracy below 0.7")
        // A Join without On joins with nothing.
        #expect(try evaluator.evaluate(["Std:Join": ["Values": ["a", "b"]]]) == "ab")
    }

    @Test func jsonGetReadsThePropertyFileOfTheNamedOutput() throws {
        let report: JSONValue = ["binary_classification_metrics": ["accuracy": ["value": 0.86, "standard_deviation": "NaN"]],
                                 "folds": [0.8, 0.9], "odd key": ["v": 1]]
        let evaluator = try churnEvaluator(documents: ["s3://lab/churn/ab12cd34ef56/evaluation/evaluation.json": report])
        let condition = try #require(evaluator.definition.step(named: "ChurnAccuracyCheck")?.conditionBranches?.conditions.first)
        #expect(try evaluator.evaluate(condition["LeftValue"]!) == 0.86)
        func jsonGet(_ path: String) throws -> JSONValue {
            try evaluator.evaluate(["Std:JsonGet": ["PropertyFile": ["Get": "Steps.ChurnEval.PropertyFiles.EvaluationReport"], "Path": .string(path)]])
        }
        #expect(try jsonGet("folds[1]") == 0.9)
        #expect(try jsonGet("$.folds[0]") == 0.8)
        #expect(try jsonGet("['odd key'].v") == 1)
        #expect(try jsonGet("binary_classification_metrics['accuracy'].standard_deviation") == "NaN")
        #expect(errorMessage { _ = try jsonGet("binary_classification_metrics.precision.value") }
            == "Std:JsonGet Path 'binary_classification_metrics.precision.value' does not resolve: 'binary_classification_metrics' has no member 'precision' in property file 'EvaluationReport' of step 'ChurnEval' (s3://lab/churn/ab12cd34ef56/evaluation/evaluation.json)")
        #expect(errorMessage { _ = try jsonGet("a..b") } == "Std:JsonGet Path 'a..b' is not a JSON path (for example a.b[0]['c'])")
    }

    @Test func jsonGetOfAPlainS3UriAndAMissingFile() throws {
        let evaluator = try churnEvaluator(documents: ["s3://lab/metrics/ab12cd34ef56.json": ["mse": 1.5]])
        let get: JSONValue = ["Std:JsonGet": [
            "S3Uri": ["Std:Join": ["On": "/", "Values": ["s3://lab/metrics", "ab12cd34ef56.json"]]], "Path": "mse",
        ]]
        #expect(try evaluator.evaluate(get) == 1.5)
        let missing = try churnEvaluator()
        #expect(errorMessage { _ = try missing.evaluate(get) }
            == "Std:JsonGet could not read s3://lab/metrics/ab12cd34ef56.json: NoSuchKey: s3://lab/metrics/ab12cd34ef56.json")
    }

    @Test func expressionsAreEvaluatedAnywhereInTheArguments() throws {
        let evaluator = try churnEvaluator()
        let register = try #require(evaluator.definition.step(named: "ChurnRegisterModel-RegisterModel"))
        let arguments = try evaluator.evaluate(register.arguments)
        #expect(arguments["ModelMetrics"]?["ModelQuality"]?["Statistics"]?["S3Uri"] == "s3://lab/churn/ab12cd34ef56/evaluation/evaluation.json")
        #expect(arguments["ModelApprovalStatus"] == "PendingManualApproval")
        #expect(arguments["InferenceSpecification"]?["Containers"]?.arrayValue?.first?["ModelDataUrl"]
            == "s3://lab/churn/model/pipelines-ab12cd34ef56-ChurnTrain-x/output/model.tar.gz")
        // Nothing of an expression is left anywhere.
        #expect(!arguments.canonicalText.contains("\"Get\""))
        #expect(!arguments.canonicalText.contains("Std:"))
    }

    @Test func propertyPathsParseAsTheSDKWritesThem() {
        #expect(PropertyPath(parsing: "Outputs['train'].S3Output")?.components == [.member("Outputs"), .key("train"), .member("S3Output")])
        #expect(PropertyPath(parsing: "a[0][1].b")?.components == [.member("a"), .index(0), .index(1), .member("b")])
        #expect(PropertyPath(parsing: "a[\"x.y]\"]")?.components == [.member("a"), .key("x.y]")])
        #expect(PropertyPath(parsing: "a.") == nil)
        #expect(PropertyPath(parsing: "a[") == nil)
        #expect(PropertyPath(parsing: "a[-1]") == nil)
        #expect(PropertyPath(parsing: "") == nil)
    }
}
