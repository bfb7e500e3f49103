import Foundation
import SageMakerAPI
import Testing
@testable import PipelineEngine

/// Shared fixtures: Appendix A's generated churn pipeline and a way to write small definitions.
enum Fixture {
    static func churnPipeline() throws -> PipelineDefinition {
        try named("churn-pipeline")
    }

    /// A definition the SDK (2.257.7) generated, kept in Fixtures.
    static func named(_ name: String) throws -> PipelineDefinition {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try PipelineDefinition(parsing: Data(contentsOf: url))
    }

    /// A definition from parameters and steps given as JSON values.
    static func definition(parameters: [JSONValue] = [], steps: [JSONValue]) throws -> PipelineDefinition {
        try PipelineDefinition(["Version": "2020-12-01", "Parameters": .array(parameters), "Steps": .array(steps)])
    }

    /// A processing step with the given extra arguments and dependencies.
    static func processing(_ name: String, arguments: [String: JSONValue] = [:], dependsOn: [String] = []) -> JSONValue {
        ["Name": .string(name), "Type": "Processing", "Arguments": .object(arguments), "DependsOn": .array(dependsOn.map(JSONValue.string))]
    }

    static let execution = ExecutionVariables(
        pipelineName: "ChurnPipeline",
        pipelineArn: "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churnpipeline",
        pipelineExecutionId: "ab12cd34ef56",
        pipelineExecutionArn: "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churnpipeline/execution/ab12cd34ef56",
        startDateTime: Date(timeIntervalSince1970: 1_764_561_600.25)
    )

    static func evaluator(
        _ definition: PipelineDefinition, parameters: [String: JSONValue] = [:], properties: [String: JSONValue] = [:],
        documents: [String: JSONValue] = [:]
    ) -> ExpressionEvaluator {
        ExpressionEvaluator(
            definition: definition, parameters: parameters, execution: execution, stepProperties: properties,
            now: { Date(timeIntervalSince1970: 1_764_561_700) },
            readJSON: { location in
                guard let document = documents[location.s3Uri] else { throw MissingObject(uri: location.s3Uri) }
                return document
            }
        )
    }
}

struct MissingObject: Error, CustomStringConvertible {
    let uri: String
    var description: String { "NoSuchKey: \(uri)" }
}

/// The message of the error `body` throws, or nil when it throws none.
func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}
