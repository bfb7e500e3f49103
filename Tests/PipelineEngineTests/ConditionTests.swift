import Foundation
import SageMakerAPI
import Testing
@testable import PipelineEngine

/// Conditions as the SDK serialises them (spec §2 "Conditions").
@Suite struct ConditionTests {
    let evaluator: ExpressionEvaluator

    init() throws {
        let definition = try Fixture.definition(
            parameters: [["Name": "Threshold", "Type": "Float", "DefaultValue": 0.7], ["Name": "Mode", "Type": "String", "DefaultValue": "fast"]],
            steps: []
        )
        evaluator = Fixture.evaluator(definition, parameters: ["Threshold": 0.7, "Mode": "fast", "Depth": 5])
    }

    func binary(_ type: String, _ left: JSONValue, _ right: JSONValue) -> JSONValue {
        ["Type": .string(type), "LeftValue": left, "RightValue": right]
    }

    @Test(arguments: [
        ("Equals", 5, 5.0, true), ("Equals", "a", "a", true), ("Equals", "5", 5, false), ("Equals", true, true, true),
        ("GreaterThan", 0.8, 0.7, true), ("GreaterThan", 0.7, 0.7, false),
        ("GreaterThanOrEqualTo", 0.7, 0.7, true), ("GreaterThanOrEqualTo", 0.69, 0.7, false),
        ("LessThan", 1, 2, true), ("LessThan", 2, 2, false),
        ("LessThanOrEqualTo", 2, 2, true), ("LessThanOrEqualTo", 3, 2, false),
        ("LessThan", "abc", "abd", true),
    ] as [(String, JSONValue, JSONValue, Bool)])
    func comparisons(type: String, left: JSONValue, right: JSONValue, expected: Bool) throws {
        #expect(try ConditionEvaluator.holds(binary(type, left, right), with: evaluator) == expected)
    }

    @Test func operandsAreEvaluated() throws {
        #expect(try ConditionEvaluator.holds(binary("GreaterThanOrEqualTo", 0.7, ["Get": "Parameters.Threshold"]), with: evaluator))
        #expect(try !ConditionEvaluator.holds(binary("GreaterThan", 0.7, ["Get": "Parameters.Threshold"]), with: evaluator))
        #expect(try ConditionEvaluator.holds(binary("Equals", ["Std:Join": ["Values": ["fa", "st"]]], ["Get": "Parameters.Mode"]), with: evaluator))
    }

    @Test func inNotAndOr() throws {
        let isIn: JSONValue = ["Type": "In", "QueryValue": ["Get": "Parameters.Mode"], "Values": ["slow", "fast"]]
        let notIn: JSONValue = ["Type": "In", "QueryValue": ["Get": "Parameters.Depth"], "Values": [1, 2, 3]]
        let numericIn: JSONValue = ["Type": "In", "QueryValue": 2.0, "Values": [1, 2, 3]]
        #expect(try ConditionEvaluator.holds(isIn, with: evaluator))
        #expect(try !ConditionEvaluator.holds(notIn, with: evaluator))
        #expect(try ConditionEvaluator.holds(numericIn, with: evaluator))
        #expect(try ConditionEvaluator.holds(["Type": "Not", "Condition": notIn], with: evaluator))
        #expect(try !ConditionEvaluator.holds(["Type": "Not", "Condition": isIn], with: evaluator))
        #expect(try ConditionEvaluator.holds(["Type": "Or", "Conditions": [notIn, isIn]], with: evaluator))
        #expect(try !ConditionEvaluator.holds(["Type": "Or", "Conditions": [notIn, binary("Equals", 1, 2)]], with: evaluator))
    }

    @Test func theStepsConditionsAreAConjunction() throws {
        #expect(try ConditionEvaluator.outcome(of: [binary("Equals", 1, 1), binary("LessThan", 1, 2)], with: evaluator) == .true)
        #expect(try ConditionEvaluator.outcome(of: [binary("Equals", 1, 1), binary("LessThan", 2, 1)], with: evaluator) == .false)
        #expect(try ConditionEvaluator.outcome(of: [], with: evaluator) == .true)
    }

    @Test func orderingDifferentKindsFailsTheStep() {
        #expect(errorMessage { _ = try ConditionEvaluator.holds(binary("GreaterThan", "0.9", 0.7), with: evaluator) }
            == "GreaterThan cannot compare a string (0.9) with a number (0.7)")
    }
}
