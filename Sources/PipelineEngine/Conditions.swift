import Foundation
import SageMakerAPI

/// A Condition step's conditions as the SDK serialises them (SDK `conditions.py`; spec §2 "Conditions"):
/// `Equals|GreaterThan|GreaterThanOrEqualTo|LessThan|LessThanOrEqualTo {LeftValue, RightValue}`,
/// `In {QueryValue, Values}`, `Not {Condition}`, `Or {Conditions}`. The step's list is a conjunction.
///
/// Operands are evaluated first. Two numbers (Integer or Float) compare numerically; two strings compare
/// as text; Equals and In are false for values of different kinds, and an ordering between different
/// kinds is an error that fails the step (it can never be what the author meant).
public enum ConditionEvaluator {
    static let comparisons: Set<String> = ["Equals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo"]

    /// The outcome of a Condition step's `Conditions` (all must hold).
    public static func outcome(of conditions: [JSONValue], with evaluator: ExpressionEvaluator) throws(ExpressionError) -> ConditionOutcome {
        for condition in conditions where !(try holds(condition, with: evaluator)) {
            return .false
        }
        return .true
    }

    public static func holds(_ condition: JSONValue, with evaluator: ExpressionEvaluator) throws(ExpressionError) -> Bool {
        let type = condition["Type"]?.stringValue ?? ""
        switch type {
        case "Not":
            return !(try holds(condition["Condition"] ?? .null, with: evaluator))
        case "Or":
            for inner in condition["Conditions"]?.arrayValue ?? [] where try holds(inner, with: evaluator) {
                return true
            }
            return false
        case "In":
            let query = try evaluator.evaluate(condition["QueryValue"] ?? .null)
            for value in condition["Values"]?.arrayValue ?? [] where equal(query, try evaluator.evaluate(value)) {
                return true
            }
            return false
        case "Equals":
            return equal(try evaluator.evaluate(condition["LeftValue"] ?? .null), try evaluator.evaluate(condition["RightValue"] ?? .null))
        case _ where comparisons.contains(type):
            let left = try evaluator.evaluate(condition["LeftValue"] ?? .null)
            let right = try evaluator.evaluate(condition["RightValue"] ?? .null)
            let order = try compare(left, right, type: type)
            switch type {
            case "GreaterThan": return order == .orderedDescending
            case "GreaterThanOrEqualTo": return order != .orderedAscending
            case "LessThan": return order == .orderedAscending
            default: return order != .orderedDescending
            }
        default:
            throw ExpressionError("Condition Type '\(type)' is not one of Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or")
        }
    }

    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = left.numericValue, let b = right.numericValue { return a == b }
        return left == right
    }

    static func compare(_ left: JSONValue, _ right: JSONValue, type: String) throws(ExpressionError) -> ComparisonResult {
        if let a = left.numericValue, let b = right.numericValue {
            return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        }
        if case .string(let a) = left, case .string(let b) = right {
            return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        }
        throw ExpressionError("\(type) cannot compare \(describe(left)) with \(describe(right))")
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string, .integer, .number, .bool: "\(value.kindDescription) (\(ExpressionEvaluator.text(of: value)))"
        default: value.kindDescription
        }
    }

    /// Refuses at definition time a condition that could never be evaluated.
    static func checkShape(_ condition: JSONValue, place: String) throws(PipelineDefinitionError) {
        guard let type = condition["Type"]?.stringValue else {
            throw PipelineDefinitionError("\(place) has no Type.")
        }
        switch type {
        case "Not":
            guard let inner = condition["Condition"] else { throw PipelineDefinitionError("\(place): a Not condition needs a Condition.") }
            try checkShape(inner, place: "\(place).Condition")
        case "Or":
            guard let inner = condition["Conditions"]?.arrayValue else { throw PipelineDefinitionError("\(place): an Or condition needs Conditions, a list.") }
            for (index, element) in inner.enumerated() { try checkShape(element, place: "\(place).Conditions[\(index)]") }
        case "In":
            guard condition["QueryValue"] != nil, condition["Values"]?.arrayValue != nil else {
                throw PipelineDefinitionError("\(place): an In condition needs a QueryValue and Values, a list.")
            }
        case _ where comparisons.contains(type):
            guard condition["LeftValue"] != nil, condition["RightValue"] != nil else {
                throw PipelineDefinitionError("\(place): the \(type) condition needs a LeftValue and a RightValue.")
            }
        default:
            throw PipelineDefinitionError("\(place): Type '\(type)' is not one of Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or.")
        }
    }
}
