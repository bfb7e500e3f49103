import Foundation
import Testing
@testable import PipelineEngine

/// A definition the SDK generated with every condition form, a JsonGet on a plain S3 URI, Fail steps
/// and a DependsOn inside a branch (Fixtures/sdk-conditions.json, made with sagemaker 2.257.7:
/// ConditionEquals, ConditionNot(ConditionIn), ConditionOr, JsonGet(s3_uri=Join(...)), FailStep).
@Suite struct SDKConditionsTests {
    @Test func theSDKsConditionFormsEvaluate() throws {
        let definition = try Fixture.named("sdk-conditions")
        #expect(definition.allSteps.map(\.name) == ["C", "F1", "F2", "F3"])
        #expect(definition.graph.dependencies["F3"] == ["C", "F2"])
        let parameters = try PipelineParameters.resolve(declared: definition.parameters, given: [])
        #expect(parameters == ["N": 3, "S": "a", "B": true, "F": .number(1.0)])
        let conditions = try #require(definition.step(named: "C")?.conditionBranches?.conditions)
        let evaluator = Fixture.evaluator(definition, parameters: parameters, documents: ["s3://b/ab12cd34ef56/m.json": ["a": ["b": [1]]]])
        #expect(try conditions.map { try ConditionEvaluator.holds($0, with: evaluator) } == [true, false, true, true])
        #expect(try ConditionEvaluator.outcome(of: conditions, with: evaluator) == .false)
        // S is "x" now: Not(In) holds, and every condition does.
        var other = evaluator
        other.parameters = try PipelineParameters.resolve(declared: definition.parameters, given: [.init(name: "S", value: "x")])
        #expect(try ConditionEvaluator.outcome(of: conditions, with: other) == .true)
        let message = try other.evaluate(try #require(definition.step(named: "F1")?.errorMessage))
        #expect(message == "x true 1.0 2025-12-01T04:00:00.250Z")
    }

    @Test func aFailedBranchStepStopsItsDependents() throws {
        let definition = try Fixture.named("sdk-conditions")
        var machine = PipelineExecutionStateMachine(definition: definition, maxParallelExecutionSteps: nil)
        #expect(machine.started() == [.startSteps(["C"])])
        #expect(machine.conditionEvaluated("C", outcome: .false) == [.startSteps(["F2"])])
        #expect(machine.stepFailed("F2", reason: "plain") == [.finishExecution(.failed, failureReason: "Step failure: One or multiple steps failed.")])
        #expect(machine.stepsNewestFirst.map(\.name) == ["F2", "C"])
    }
}
