import Foundation
import Testing
@testable import PipelineEngine

/// The Create* requests and Metadata of steps (spec §1), and documents jobs write.
@Suite struct StepRequestTests {
    @Test func trainingRequestGainsItsNameAndExperimentConfig() throws {
        let definition = try Fixture.churnPipeline()
        let evaluator = Fixture.evaluator(
            definition, parameters: try PipelineParameters.resolve(declared: definition.parameters, given: []),
            properties: ["ChurnProcess": ExpressionTests.processProperties]
        )
        let experiment = try #require(try evaluator.experimentConfig())
        #expect(experiment == EvaluatedExperimentConfig(experimentName: "ChurnPipeline", trialName: "ab12cd34ef56"))
        let train = try #require(definition.step(named: "ChurnTrain"))
        let request = train.createRequest(
            evaluatedArguments: try evaluator.evaluate(train.arguments), generatedName: "pipelines-ab12cd34ef56-ChurnTrain-AbCdEfGhIj", experiment: experiment
        )
        #expect(request["TrainingJobName"] == "pipelines-ab12cd34ef56-ChurnTrain-AbCdEfGhIj")
        #expect(request["ExperimentConfig"] == ["ExperimentName": "ChurnPipeline", "TrialName": "ab12cd34ef56"])
        #expect(request["HyperParameters"]?["max_depth"] == "5")
        let model = try #require(definition.step(named: "ChurnCreateModel-CreateModel"))
        let modelRequest = model.createRequest(evaluatedArguments: ["ExecutionRoleArn": "r"], generatedName: "pipelines-x-m-y", experiment: experiment)
        #expect(modelRequest == ["ExecutionRoleArn": "r", "ModelName": "pipelines-x-m-y"])
        let register = try #require(definition.step(named: "ChurnRegisterModel-RegisterModel"))
        #expect(register.generatedNameMember == nil)
    }

    @Test func metadataShapes() {
        #expect(StepMetadata.resource(of: .processing, arn: "a") == ["ProcessingJob": ["Arn": "a"]])
        #expect(StepMetadata.resource(of: .training, arn: "a") == ["TrainingJob": ["Arn": "a"]])
        #expect(StepMetadata.resource(of: .model, arn: "a") == ["Model": ["Arn": "a"]])
        #expect(StepMetadata.resource(of: .registerModel, arn: "a") == ["RegisterModel": ["Arn": "a"]])
        #expect(StepMetadata.condition(.false) == ["Condition": ["Outcome": "False"]])
        #expect(StepMetadata.fail(errorMessage: "") == ["Fail": ["ErrorMessage": ""]])
    }
}
