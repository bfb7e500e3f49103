import Foundation
import SageMakerAPI

/// The names and times of one execution, for `Get: Execution.*` (spec §2 "Execution variables").
public struct ExecutionVariables: Sendable {
    public var pipelineName: String
    public var pipelineArn: String
    public var pipelineExecutionId: String
    public var pipelineExecutionArn: String
    public var startDateTime: Date

    public init(pipelineName: String, pipelineArn: String, pipelineExecutionId: String, pipelineExecutionArn: String, startDateTime: Date) {
        self.pipelineName = pipelineName
        self.pipelineArn = pipelineArn
        self.pipelineExecutionId = pipelineExecutionId
        self.pipelineExecutionArn = pipelineExecutionArn
        self.startDateTime = startDateTime
    }

    /// Dates render as ISO 8601 UTC with milliseconds (`2026-12-01T03:47:50.123Z`): a text that sorts,
    /// that S3 keys and job arguments accept, and that Python's `datetime.fromisoformat` reads.
    static func text(of date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Where a `Std:JsonGet` reads its JSON document from: the S3 URI, and the property file when it names one.
public struct JSONDocumentLocation: Sendable, Hashable {
    public var s3Uri: String
    public var stepName: String?
    public var propertyFileName: String?
}

/// Evaluates the expressions of a step's arguments just before the step runs (spec "Executor behaviours" 4):
/// `Get`, `Std:Join` and `Std:JsonGet`, anywhere in the value, recursively.
public struct ExpressionEvaluator {
    public var definition: PipelineDefinition
    /// The typed parameter values of this execution (`PipelineParameters.resolve`).
    public var parameters: [String: JSONValue]
    public var execution: ExecutionVariables
    /// The properties of each step that succeeded: its Describe* response (a Condition step's `{"Outcome": …}`).
    public var stepProperties: [String: JSONValue]
    /// The job name of the step being evaluated, for `Execution.TrainingJobName|ProcessingJobName`.
    public var jobName: String?
    /// The clock behind `Execution.CurrentDateTime`.
    public var now: () -> Date
    /// Reads the JSON document at a location (the caller reads the object from the fake S3).
    public var readJSON: (JSONDocumentLocation) throws -> JSONValue

    public init(
        definition: PipelineDefinition, parameters: [String: JSONValue], execution: ExecutionVariables,
        stepProperties: [String: JSONValue], jobName: String? = nil, now: @escaping () -> Date = Date.init,
        readJSON: @escaping (JSONDocumentLocation) throws -> JSONValue
    ) {
        self.definition = definition
        self.parameters = parameters
        self.execution = execution
        self.stepProperties = stepProperties
        self.jobName = jobName
        self.now = now
        self.readJSON = readJSON
    }

    /// The value with every expression replaced by its result; values keep their type where they stand
    /// alone (an Integer parameter stays an integer in `InstanceCount`).
    public func evaluate(_ value: JSONValue) throws(ExpressionError) -> JSONValue {
        switch value {
        case .object(let members) where members.count == 1:
            let (key, argument) = members.first!
            switch key {
            case "Get":
                guard let text = argument.stringValue else {
                    throw ExpressionError("Get must name a property as a string, not \(argument.kindDescription)")
                }
                return try get(PropertyReference(parsing: text), text: text)
            case "Std:Join":
                return .string(try join(argument))
            case "Std:JsonGet":
                return try jsonGet(argument)
            default:
                return .object([key: try evaluate(argument)])
            }
        case .object(let members):
            var evaluated: [String: JSONValue] = [:]
            for (key, member) in members { evaluated[key] = try evaluate(member) }
            return .object(evaluated)
        case .array(let elements):
            var evaluated: [JSONValue] = []
            for element in elements { evaluated.append(try evaluate(element)) }
            return .array(evaluated)
        default:
            return value
        }
    }

    func get(_ reference: PropertyReference, text: String) throws(ExpressionError) -> JSONValue {
        switch reference {
        case .parameter(let name):
            guard let value = parameters[name] else {
                throw ExpressionError("Get '\(text)': the pipeline has no parameter '\(name)'")
            }
            return value
        case .execution(let variable):
            switch variable {
            case .pipelineName: return .string(execution.pipelineName)
            case .pipelineArn: return .string(execution.pipelineArn)
            case .pipelineExecutionId: return .string(execution.pipelineExecutionId)
            case .pipelineExecutionArn: return .string(execution.pipelineExecutionArn)
            case .startDateTime: return .string(ExecutionVariables.text(of: execution.startDateTime))
            case .currentDateTime: return .string(ExecutionVariables.text(of: now()))
            case .trainingJobName, .processingJobName:
                guard let jobName else {
                    throw ExpressionError("Get '\(text)' is only available inside the arguments of a step that runs a job")
                }
                return .string(jobName)
            }
        case .step(let name, let path):
            guard let properties = stepProperties[name] else {
                throw ExpressionError("Get '\(text)': step '\(name)' has no properties, because it has not succeeded in this execution")
            }
            switch path.resolve(in: properties) {
            case .success(let value): return value
            case .failure(let error): throw ExpressionError("Get '\(text)' does not resolve: \(error.reason)")
            }
        }
    }

    /// `Std:Join {On, Values}`: each value evaluated and rendered as text (`Self.text(of:)`).
    func join(_ argument: JSONValue) throws(ExpressionError) -> String {
        let separator = argument["On"]?.stringValue ?? ""
        guard let values = argument["Values"]?.arrayValue else {
            throw ExpressionError("Std:Join needs Values, a list")
        }
        var parts: [String] = []
        for value in values { parts.append(Self.text(of: try evaluate(value))) }
        return parts.joined(separator: separator)
    }

    /// How `Std:Join` renders a value: strings as they are, an Integer `5` as `5`, a Float in its shortest
    /// exact form (`0.2`, `1.0`, as Python's `str` would), booleans `true`/`false` (spec §2), null as
    /// nothing, lists and objects as compact JSON.
    public static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): number.description
        case .bool(let flag): flag ? "true" : "false"
        case .array, .object: value.canonicalText
        }
    }

    /// `Std:JsonGet {PropertyFile: {Get: Steps.S.PropertyFiles.N} | S3Uri, Path}`.
    func jsonGet(_ argument: JSONValue) throws(ExpressionError) -> JSONValue {
        guard let pathText = argument["Path"]?.stringValue else {
            throw ExpressionError("Std:JsonGet needs a Path")
        }
        guard let path = PropertyPath(parsing: pathText) else {
            throw ExpressionError("Std:JsonGet Path '\(pathText)' is not a JSON path (for example a.b[0]['c'])")
        }
        let location: JSONDocumentLocation
        if let reference = argument["PropertyFile"] {
            location = try propertyFileLocation(reference)
        } else if let uri = argument["S3Uri"] {
            let evaluated = try evaluate(uri)
            guard let text = evaluated.stringValue else {
                throw ExpressionError("Std:JsonGet S3Uri is \(evaluated.kindDescription), not an S3 URI")
            }
            location = JSONDocumentLocation(s3Uri: text)
        } else {
            throw ExpressionError("Std:JsonGet needs a PropertyFile or an S3Uri")
        }
        let document: JSONValue
        do {
            document = try readJSON(location)
        } catch {
            throw ExpressionError("Std:JsonGet could not read \(location.described): \(error)")
        }
        switch path.resolve(in: document) {
        case .success(let value): return value
        case .failure(let error): throw ExpressionError("Std:JsonGet Path \(error) in \(location.described)")
        }
    }

    /// `<S3Uri of the output named OutputName>/<FilePath>` (spec §3 "Property files").
    func propertyFileLocation(_ reference: JSONValue) throws(ExpressionError) -> JSONDocumentLocation {
        guard let text = reference["Get"]?.stringValue, let file = try PropertyReference(parsing: text).propertyFile else {
            throw ExpressionError("Std:JsonGet PropertyFile must be {\"Get\": \"Steps.<Step>.PropertyFiles.<Name>\"}")
        }
        guard let declared = definition.step(named: file.step)?.propertyFiles.first(where: { $0.propertyFileName == file.name }) else {
            throw ExpressionError("Std:JsonGet: step '\(file.step)' has no property file '\(file.name)'")
        }
        let outputPath = PropertyPath(components: [
            .member("ProcessingOutputConfig"), .member("Outputs"), .key(declared.outputName), .member("S3Output"), .member("S3Uri"),
        ])
        guard let properties = stepProperties[file.step] else {
            throw ExpressionError("Std:JsonGet: step '\(file.step)' has no properties, because it has not succeeded in this execution")
        }
        guard case .success(.string(let outputUri)) = outputPath.resolve(in: properties) else {
            throw ExpressionError("Std:JsonGet: property file '\(file.name)' of step '\(file.step)' names output '\(declared.outputName)', which the step's job does not have")
        }
        let trimmed = outputUri.hasSuffix("/") ? String(outputUri.dropLast()) : outputUri
        let filePath = declared.filePath.hasPrefix("/") ? String(declared.filePath.dropFirst()) : declared.filePath
        return JSONDocumentLocation(s3Uri: "\(trimmed)/\(filePath)", stepName: file.step, propertyFileName: file.name)
    }
}

extension JSONDocumentLocation {
    public init(s3Uri: String) {
        self.init(s3Uri: s3Uri, stepName: nil, propertyFileName: nil)
    }

    var described: String {
        if let stepName, let propertyFileName {
            return "property file '\(propertyFileName)' of step '\(stepName)' (\(s3Uri))"
        }
        return s3Uri
    }
}

/// An expression that cannot be evaluated; the step it belongs to fails with this message.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
