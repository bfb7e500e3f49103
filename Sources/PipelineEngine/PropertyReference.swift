import Foundation
import SageMakerAPI

/// One step of a path into a JSON value, as the SDK writes them (spec §2 "Step properties"):
/// `.Member`, `['key']` (a list member by its name, or a map key) and `[0]` (by index).
public enum PropertyPathComponent: Sendable, Hashable, CustomStringConvertible {
    case member(String)
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .member(let name): ".\(name)"
        case .key(let key): "['\(key)']"
        case .index(let index): "[\(index)]"
        }
    }
}

/// A path such as `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri` or, in `Std:JsonGet`,
/// the JsonPath-like `binary_classification_metrics.accuracy.value`, `a[0]`, `a['b']`, `$.a.b`.
public struct PropertyPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [PropertyPathComponent]

    public init(components: [PropertyPathComponent]) { self.components = components }

    /// Parses the path; nil when its brackets or dots do not form a path.
    public init?(parsing text: String) {
        var rest = Substring(text)
        // JsonPath's root, which the docs' JsonPath notation allows.
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        var components: [PropertyPathComponent] = []
        var expectsMember = true
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = Self.closingBracket(in: rest) else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                if let quote = inner.first, quote == "'" || quote == "\"", inner.count >= 2, inner.last == quote {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else if let index = Int(inner.trimmingCharacters(in: .whitespaces)), index >= 0 {
                    components.append(.index(index))
                } else {
                    return nil
                }
                rest = rest[rest.index(after: close)...]
                expectsMember = false
            } else if rest.first == "." {
                guard !expectsMember else { return nil }
                rest = rest.dropFirst()
                expectsMember = true
                if rest.isEmpty { return nil }
            } else {
                guard expectsMember else { return nil }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                components.append(.member(String(rest[..<end])))
                rest = rest[end...]
                expectsMember = false
            }
        }
        if components.isEmpty { return nil }
        self.components = components
    }

    /// The `]` closing the bracket at the start of `text`, skipping one inside quotes.
    private static func closingBracket(in text: Substring) -> Substring.Index? {
        var quote: Character?
        for index in text.indices.dropFirst() {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "]" {
                return index
            }
        }
        return nil
    }

    public var description: String {
        var text = ""
        for component in components {
            if text.isEmpty, case .member(let name) = component { text = name } else { text += component.description }
        }
        return text
    }

    /// Follows the path into `value`. A `['name']` on a list picks the member whose name field equals it
    /// (`OutputName`, `InputName`, `ChannelName`, …), as the SDK's PropertiesList does.
    public func resolve(in value: JSONValue) -> Result<JSONValue, PropertyPathError> {
        var current = value
        for (position, component) in components.enumerated() {
            let walked = PropertyPath(components: Array(components[..<position]))
            let next: JSONValue?
            switch (component, current) {
            case (.member(let name), .object(let members)), (.key(let name), .object(let members)):
                next = members[name]
            case (.key(let name), .array(let elements)):
                next = elements.first { Self.memberName(of: $0) == name }
            case (.index(let index), .array(let elements)):
                next = index < elements.count ? elements[index] : nil
            default:
                return .failure(PropertyPathError(path: self, walked: walked, found: current))
            }
            guard let next else { return .failure(PropertyPathError(path: self, walked: walked, found: current)) }
            current = next
        }
        return .success(current)
    }

    /// The fields by which a list member is named, most specific first.
    private static let nameFields = ["OutputName", "InputName", "ChannelName", "MetricName", "Name"]

    private static func memberName(of element: JSONValue) -> String? {
        guard case .object(let members) = element else { return nil }
        for field in nameFields {
            if let name = members[field]?.stringValue { return name }
        }
        return members.first { $0.key.hasSuffix("Name") && $0.value.stringValue != nil }?.value.stringValue
    }
}

/// A path that leads nowhere: says how far it got and what it found there.
public struct PropertyPathError: Error, Sendable, CustomStringConvertible {
    public let path: PropertyPath
    public let walked: PropertyPath
    public let found: JSONValue

    public var description: String { "'\(path)' does not resolve: \(reason)" }

    /// Why the path stops where it does.
    public var reason: String {
        let missing = path.components[walked.components.count]
        let place = walked.components.isEmpty ? "the top level" : "'\(walked)'"
        switch (missing, found) {
        case (.member(let name), .object), (.key(let name), .object):
            return "\(place) has no member '\(name)'"
        case (.key(let name), .array):
            return "\(place) has no member named '\(name)'"
        case (.index(let index), .array(let elements)):
            return "index \(index) is out of range for \(place), which has \(elements.count) members"
        default:
            return "\(place) is \(found.kindDescription), not \(Self.needed(for: missing))"
        }
    }

    private static func needed(for component: PropertyPathComponent) -> String {
        switch component {
        case .member: "an object"
        case .key: "an object or a list"
        case .index: "a list"
        }
    }
}

/// What a `{"Get": "..."}` names (spec §2): a parameter, an execution variable, or a step's property.
public enum PropertyReference: Sendable, Hashable {
    case parameter(String)
    case execution(ExecutionVariable)
    /// `Steps.<Step>.<path>`; a `PropertyFiles.<Name>` path names a property file (for `Std:JsonGet`).
    case step(String, PropertyPath)

    /// Parses the text of a `Get`; the error says what is wrong with it.
    public init(parsing text: String) throws(ExpressionError) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw ExpressionError("'\(text)' is not a property reference: it must start with Parameters., Execution. or Steps.")
        }
        switch parts[0] {
        case "Parameters":
            self = .parameter(String(parts[1]))
        case "Execution":
            guard let variable = ExecutionVariable(rawValue: String(parts[1])) else {
                let known = ExecutionVariable.allCases.map(\.rawValue).joined(separator: ", ")
                throw ExpressionError("'\(text)' names no execution variable; they are \(known)")
            }
            self = .execution(variable)
        case "Steps":
            let rest = parts[1]
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let stepName = String(rest[..<end])
            var pathText = rest[end...]
            if pathText.first == "." { pathText = pathText.dropFirst() }
            // `Steps.X` alone (the SDK's Properties without a path) is the whole of the step's properties.
            let path = pathText.isEmpty && end == rest.endIndex ? PropertyPath(components: []) : PropertyPath(parsing: String(pathText))
            guard !stepName.isEmpty, let path else {
                throw ExpressionError("'\(text)' is not a step property reference: it must be Steps.<StepName>.<property path>")
            }
            self = .step(stepName, path)
        default:
            throw ExpressionError("'\(text)' is not a property reference: it must start with Parameters., Execution. or Steps.")
        }
    }

    /// The property file a `Steps.<Step>.PropertyFiles.<Name>` reference names, if it is one.
    public var propertyFile: (step: String, name: String)? {
        guard case .step(let step, let path) = self, path.components.count == 2,
            path.components[0] == .member("PropertyFiles"), case .member(let name) = path.components[1]
        else { return nil }
        return (step, name)
    }
}

/// The execution variables a definition may `Get` (SDK `execution_variables.py`; spec §2).
public enum ExecutionVariable: String, Sendable, CaseIterable {
    case startDateTime = "StartDateTime"
    case currentDateTime = "CurrentDateTime"
    case pipelineName = "PipelineName"
    case pipelineArn = "PipelineArn"
    case pipelineExecutionId = "PipelineExecutionId"
    case pipelineExecutionArn = "PipelineExecutionArn"
    case trainingJobName = "TrainingJobName"
    case processingJobName = "ProcessingJobName"
}
