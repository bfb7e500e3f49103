import Foundation
import SageMakerAPI

/// What a step hands to the services the public API uses, and the `Metadata` ListPipelineExecutionSteps
/// shows for it (spec §1, the table "What each step type calls").
extension PipelineStep {
    /// The request member that carries the name the service generates (the SDK pops it from Arguments).
    public var generatedNameMember: String? {
        switch type {
        case .processing: "ProcessingJobName"
        case .training: "TrainingJobName"
        case .model: "ModelName"
        default: nil
        }
    }

    /// The Create* request: the evaluated arguments with the generated name and, for jobs, the execution's
    /// `ExperimentConfig {ExperimentName, TrialName}` (sagemaker-python-sdk#4114).
    public func createRequest(evaluatedArguments: JSONValue, generatedName: String?, experiment: EvaluatedExperimentConfig?) -> JSONValue {
        guard case .object(var request) = evaluatedArguments else { return evaluatedArguments }
        if let member = generatedNameMember, let generatedName { request[member] = .string(generatedName) }
        if let experiment, type == .processing || type == .training {
            request["ExperimentConfig"] = ["ExperimentName": .string(experiment.experimentName), "TrialName": .string(experiment.trialName)]
        }
        return .object(request)
    }
}

/// The execution's PipelineExperimentConfig, evaluated.
public struct EvaluatedExperimentConfig: Sendable, Hashable {
    public var experimentName: String
    public var trialName: String
}

extension ExpressionEvaluator {
    /// The definition's PipelineExperimentConfig evaluated, or nil when it has none.
    public func experimentConfig() throws(ExpressionError) -> EvaluatedExperimentConfig? {
        guard let config = definition.experimentConfig, let name = config.experimentName, let trial = config.trialName else { return nil }
        return EvaluatedExperimentConfig(experimentName: Self.text(of: try evaluate(name)), trialName: Self.text(of: try evaluate(trial)))
    }
}

/// A step's `Metadata` in ListPipelineExecutionSteps (spec §1, §3).
public enum StepMetadata {
    /// `{"ProcessingJob": {"Arn"}}`, `{"TrainingJob": …}`, `{"Model": …}`, `{"RegisterModel": …}`.
    public static func resource(of type: StepType, arn: String) -> JSONValue {
        let key = switch type {
        case .processing: "ProcessingJob"
        case .training: "TrainingJob"
        case .model: "Model"
        case .registerModel: "RegisterModel"
        default: type.rawValue
        }
        return [key: ["Arn": .string(arn)]]
    }

    /// `{"Condition": {"Outcome": "True"|"False"}}`.
    public static func condition(_ outcome: ConditionOutcome) -> JSONValue {
        ["Condition": ["Outcome": .string(outcome.rawValue)]]
    }

    /// `{"Fail": {"ErrorMessage": …}}`, the empty string included (SDKIT `test_fail_steps.py`).
    public static func fail(errorMessage: String) -> JSONValue {
        ["Fail": ["ErrorMessage": .string(errorMessage)]]
    }
}
