import Foundation
import SageMakerAPI

/// StartPipelineExecution's `PipelineParameters` merged over the definition's defaults and cast to each
/// parameter's declared Type (spec "Executor behaviours" 2).
///
/// Open question 5 (the service's texts are undocumented), decided here: the checks are the ones
/// LocalPipelineSession makes (unknown name, wrong type, undefined), worded to say what to fix. The empty
/// value keeps the service's own text (sagemaker-python-sdk#4016). An Integer must be written as an
/// integer (`"6"`; `"6.0"` is refused, as a Java/Python integer parse refuses it); a Boolean is
/// `true`/`false` in any case, because the SDK sends Python's `str(True)`, `"True"`.
public enum PipelineParameters {
    /// One name/value pair as StartPipelineExecution sends it (every value is a string on the wire).
    public struct Given: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The value of every declared parameter, typed; throws for the first problem in declaration order.
    public static func resolve(declared: [PipelineParameter], given: [Given]) throws(PipelineParameterError) -> [String: JSONValue] {
        var givenByName: [String: String] = [:]
        for pair in given {
            guard declared.contains(where: { $0.name == pair.name }) else {
                let names = declared.map(\.name).joined(separator: ", ")
                throw PipelineParameterError("Unknown parameter '\(pair.name)': the pipeline declares \(names.isEmpty ? "no parameters" : "only \(names)").")
            }
            guard givenByName.updateValue(pair.value, forKey: pair.name) == nil else {
                throw PipelineParameterError("Parameter '\(pair.name)' is given more than once.")
            }
        }
        var values: [String: JSONValue] = [:]
        for parameter in declared {
            if let text = givenByName[parameter.name] {
                values[parameter.name] = try cast(text, to: parameter)
            } else if let defaultValue = parameter.defaultValue {
                values[parameter.name] = defaultValue
            } else {
                throw PipelineParameterError("Parameter '\(parameter.name)' is undefined: it has no DefaultValue in the pipeline definition, so StartPipelineExecution must give it a value.")
            }
        }
        return values
    }

    static func cast(_ text: String, to parameter: PipelineParameter) throws(PipelineParameterError) -> JSONValue {
        guard !text.isEmpty else {
            throw PipelineParameterError("[string \"\" is too short (length: 0, required minimum: 1)]")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value: JSONValue?
        switch parameter.type {
        case .string:
            value = .string(text)
        case .integer:
            value = Int(trimmed).map(JSONValue.integer)
        case .float:
            value = Double(trimmed).flatMap { $0.isFinite ? JSONValue.number($0) : nil }
        case .boolean:
            switch trimmed.lowercased() {
            case "true": value = .bool(true)
            case "false": value = .bool(false)
            default: value = nil
            }
        }
        guard let value else {
            throw PipelineParameterError("Value '\(text)' of parameter '\(parameter.name)' is not \(parameter.type.example).")
        }
        return value
    }
}

extension ParameterType {
    /// How a message tells the user what a value of this type looks like.
    var example: String {
        switch self {
        case .string: "a String"
        case .integer: "an Integer (for example 5)"
        case .float: "a Float (for example 0.5)"
        case .boolean: "a Boolean (true or false)"
        }
    }
}

/// A parameter problem at StartPipelineExecution, to be sent as a ValidationException with this message.
public struct PipelineParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
