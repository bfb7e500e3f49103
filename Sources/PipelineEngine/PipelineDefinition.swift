import Foundation
import SageMakerAPI

/// A pipeline definition (Version `2020-12-01`, spec §2), parsed leniently: members sagebox does not use
/// are ignored (the public JSON schema is stale, so nothing is checked against it), but anything that
/// would stop the pipeline from running is an error that names the step and the field.
public struct PipelineDefinition: Sendable {
    public var version: String?
    public var metadata: JSONValue?
    public var parameters: [PipelineParameter]
    public var experimentConfig: PipelineExperimentConfig?
    /// The top-level steps; branch steps sit inside their Condition step.
    public var steps: [PipelineStep]
    /// Every step, branch steps included, in definition order (a Condition step before its branches).
    public let allSteps: [PipelineStep]
    /// What each step waits for (spec "Executor behaviours" 3).
    public let graph: PipelineGraph

    public init(parsing data: Data) throws(PipelineDefinitionError) {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: data)
        } catch {
            throw PipelineDefinitionError("The pipeline definition is \(error).")
        }
        try self.init(root)
    }

    public init(parsing text: String) throws(PipelineDefinitionError) {
        try self.init(parsing: Data(text.utf8))
    }

    public init(_ root: JSONValue) throws(PipelineDefinitionError) {
        guard case .object(let members) = root else {
            throw PipelineDefinitionError("The pipeline definition must be a JSON object, not \(root.kindDescription).")
        }
        version = members["Version"]?.stringValue
        metadata = members["Metadata"]
        parameters = try Self.list(members["Parameters"], field: "Parameters").enumerated().map { index, value throws(PipelineDefinitionError) in
            try PipelineParameter(value, index: index)
        }
        if let config = members["PipelineExperimentConfig"], config != .null {
            experimentConfig = PipelineExperimentConfig(experimentName: config["ExperimentName"], trialName: config["TrialName"])
        }
        guard let stepsValue = members["Steps"] else {
            throw PipelineDefinitionError("The pipeline definition has no Steps.")
        }
        steps = try Self.list(stepsValue, field: "Steps").enumerated().map { index, value throws(PipelineDefinitionError) in
            try PipelineStep(value, place: "Steps[\(index)]", branchOf: nil)
        }
        allSteps = steps.flatMap(\.withBranchSteps)
        try Self.checkUniqueNames(parameters.map(\.name), kind: "parameter")
        try Self.checkUniqueNames(allSteps.map(\.name), kind: "step")
        graph = try PipelineGraph(steps: allSteps, parameters: Set(parameters.map(\.name)))
    }

    public func step(named name: String) -> PipelineStep? {
        allSteps.first { $0.name == name }
    }

    static func list(_ value: JSONValue?, field: String) throws(PipelineDefinitionError) -> [JSONValue] {
        switch value {
        case nil, .null: return []
        case .array(let elements): return elements
        case let other?: throw PipelineDefinitionError("\(field) must be a list, not \(other.kindDescription).")
        }
    }

    private static func checkUniqueNames(_ names: [String], kind: String) throws(PipelineDefinitionError) {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw PipelineDefinitionError("The pipeline definition has more than one \(kind) named '\(name)'; \(kind) names must be unique.")
        }
    }

    /// The name rule of parameters and steps (`^[A-Za-z0-9\-_]{1,64}$`, spec §2).
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// A declared pipeline parameter; its DefaultValue is already of its Type.
public struct PipelineParameter: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    public var defaultValue: JSONValue?

    public init(name: String, type: ParameterType, defaultValue: JSONValue?) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
    }

    init(_ value: JSONValue, index: Int) throws(PipelineDefinitionError) {
        let place = "Parameters[\(index)]"
        guard let name = value["Name"]?.stringValue else {
            throw PipelineDefinitionError("\(place) has no Name.")
        }
        guard PipelineDefinition.isValidName(name) else {
            throw PipelineDefinitionError("Parameter '\(name)': the Name must be 1 to 64 letters, digits, '-' or '_'.")
        }
        // The SDK always writes Type; a parameter without one is a String, as the schema's default says.
        let typeText = value["Type"]?.stringValue ?? ParameterType.string.rawValue
        guard let type = ParameterType(rawValue: typeText) else {
            throw PipelineDefinitionError("Parameter '\(name)': Type '\(typeText)' is not one of String, Integer, Float, Boolean.")
        }
        self.name = name
        self.type = type
        switch value["DefaultValue"] {
        case nil, .null:
            defaultValue = nil
        case let given?:
            guard let typed = type.accept(given) else {
                throw PipelineDefinitionError("Parameter '\(name)': DefaultValue is \(given.kindDescription), which is not \(type.example).")
            }
            defaultValue = typed
        }
    }
}

public enum ParameterType: String, Sendable, CaseIterable {
    case string = "String"
    case integer = "Integer"
    case float = "Float"
    case boolean = "Boolean"

    /// The JSON value as this type, or nil when it is not one (an Integer is a valid Float).
    func accept(_ value: JSONValue) -> JSONValue? {
        switch (self, value) {
        case (.string, .string), (.integer, .integer), (.float, .number), (.boolean, .bool): value
        case (.float, .integer(let number)): .number(Double(number))
        // An integral Float where an Integer is declared (`5.0`) is taken as that integer.
        case (.integer, .number(let number)) where number.rounded() == number && abs(number) < 1e15: .integer(Int(number))
        default: nil
        }
    }
}

/// The experiment and trial names jobs of an execution are filed under, as expressions.
public struct PipelineExperimentConfig: Sendable, Hashable {
    public var experimentName: JSONValue?
    public var trialName: JSONValue?
}

/// A step's type as the SDK writes it; other types are kept by name (the executor refuses them at run time).
public enum StepType: Sendable, Hashable {
    case processing, training, condition, fail
    /// `Model` (ModelStep with `model.create()`, and the older CreateModelStep).
    case model
    /// `RegisterModel` (ModelStep with `model.register()`, and RegisterModel).
    case registerModel
    case other(String)

    init(rawValue: String) {
        switch rawValue {
        case "Processing": self = .processing
        case "Training": self = .training
        case "Condition": self = .condition
        case "Fail": self = .fail
        case "Model", "CreateModel": self = .model
        case "RegisterModel": self = .registerModel
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .processing: "Processing"
        case .training: "Training"
        case .condition: "Condition"
        case .fail: "Fail"
        case .model: "Model"
        case .registerModel: "RegisterModel"
        case .other(let name): name
        }
    }
}

/// One step of the definition.
public struct PipelineStep: Sendable {
    public var name: String
    public var type: StepType
    /// The Create* request without the job name, with expressions unevaluated (spec §2 "Step shapes").
    public var arguments: JSONValue
    public var dependsOn: [String]
    public var displayName: String?
    public var description: String?
    public var cacheConfig: CacheConfig?
    public var propertyFiles: [PropertyFile]
    /// A Condition step's conditions and branches.
    public var conditionBranches: ConditionBranches?
    /// A Fail step's ErrorMessage, unevaluated (nil when absent).
    public var errorMessage: JSONValue?
    /// The Condition step and branch this step belongs to, if it is a branch step.
    public var branchOf: BranchPosition?

    init(_ value: JSONValue, place: String, branchOf: BranchPosition?) throws(PipelineDefinitionError) {
        guard case .object(let members) = value else {
            throw PipelineDefinitionError("\(place) must be a step object, not \(value.kindDescription).")
        }
        guard let name = members["Name"]?.stringValue else {
            throw PipelineDefinitionError("\(place) has no Name.")
        }
        guard PipelineDefinition.isValidName(name) else {
            throw PipelineDefinitionError("Step '\(name)': the Name must be 1 to 64 letters, digits, '-' or '_'.")
        }
        guard let typeText = members["Type"]?.stringValue else {
            throw PipelineDefinitionError("Step '\(name)' has no Type.")
        }
        self.name = name
        self.type = StepType(rawValue: typeText)
        self.branchOf = branchOf
        arguments = members["Arguments"] ?? .object([:])
        displayName = members["DisplayName"]?.stringValue
        description = members["Description"]?.stringValue
        dependsOn = try PipelineDefinition.list(members["DependsOn"], field: "Step '\(name)': DependsOn").map {
            entry throws(PipelineDefinitionError) in
            guard let dependency = entry.stringValue else {
                throw PipelineDefinitionError("Step '\(name)': DependsOn must list step names, and \(entry.kindDescription) is not one.")
            }
            return dependency
        }
        if let cache = members["CacheConfig"], cache != .null {
            cacheConfig = try CacheConfig(cache, step: name)
        }
        propertyFiles = try PipelineDefinition.list(members["PropertyFiles"], field: "Step '\(name)': PropertyFiles").map {
            entry throws(PipelineDefinitionError) in try PropertyFile(entry, step: name)
        }
        switch type {
        case .condition:
            conditionBranches = try ConditionBranches(arguments, step: name)
        case .fail:
            errorMessage = arguments["ErrorMessage"]
        default:
            break
        }
    }

    /// This step followed by its branch steps, depth first.
    var withBranchSteps: [PipelineStep] {
        guard let branches = conditionBranches else { return [self] }
        return [self] + (branches.ifSteps + branches.elseSteps).flatMap(\.withBranchSteps)
    }

    /// The part of the arguments whose references make dependencies: a Condition step's own
    /// conditions only (its branch steps' references belong to them).
    var referencingArguments: JSONValue {
        conditionBranches.map { .array($0.conditions) } ?? arguments
    }
}

/// Which branch of which Condition step a step sits in.
public struct BranchPosition: Sendable, Hashable {
    public var conditionStep: String
    public var branch: ConditionOutcome
}

/// A Condition step's `Conditions` (all must hold), `IfSteps` and `ElseSteps` (spec §2 "Conditions").
public struct ConditionBranches: Sendable {
    public var conditions: [JSONValue]
    public var ifSteps: [PipelineStep]
    public var elseSteps: [PipelineStep]

    init(_ arguments: JSONValue, step: String) throws(PipelineDefinitionError) {
        conditions = try PipelineDefinition.list(arguments["Conditions"], field: "Step '\(step)': Arguments.Conditions")
        for (index, condition) in conditions.enumerated() {
            try ConditionEvaluator.checkShape(condition, place: "Step '\(step)': Arguments.Conditions[\(index)]")
        }
        ifSteps = try PipelineDefinition.list(arguments["IfSteps"], field: "Step '\(step)': Arguments.IfSteps").enumerated().map {
            index, value throws(PipelineDefinitionError) in
            try PipelineStep(value, place: "Step '\(step)': Arguments.IfSteps[\(index)]", branchOf: BranchPosition(conditionStep: step, branch: .true))
        }
        elseSteps = try PipelineDefinition.list(arguments["ElseSteps"], field: "Step '\(step)': Arguments.ElseSteps").enumerated().map {
            index, value throws(PipelineDefinitionError) in
            try PipelineStep(value, place: "Step '\(step)': Arguments.ElseSteps[\(index)]", branchOf: BranchPosition(conditionStep: step, branch: .false))
        }
    }
}

// The outcome of a Condition step (its `Outcome` property and `Metadata.Condition.Outcome`) is botocore's
// `ConditionOutcome`, generated in SageMakerAPI.

/// `CacheConfig` of a step (spec §3 "Caching").
public struct CacheConfig: Sendable, Hashable {
    public var enabled: Bool
    public var expireAfter: ExpireAfter?

    public init(enabled: Bool, expireAfter: ExpireAfter?) {
        self.enabled = enabled
        self.expireAfter = expireAfter
    }

    init(_ value: JSONValue, step: String) throws(PipelineDefinitionError) {
        switch value["Enabled"] {
        case .bool(let flag)?: enabled = flag
        case nil, .null?: enabled = false
        case let other?: throw PipelineDefinitionError("Step '\(step)': CacheConfig.Enabled must be true or false, not \(other.kindDescription).")
        }
        switch value["ExpireAfter"] {
        case nil, .null?:
            expireAfter = nil
        case .string(let text)?:
            guard let parsed = ExpireAfter(parsing: text) else {
                throw PipelineDefinitionError("Step '\(step)': CacheConfig.ExpireAfter '\(text)' is not an ISO 8601 duration (for example PT1H, P30D, 30d, T16m).")
            }
            expireAfter = parsed
        case let other?:
            throw PipelineDefinitionError("Step '\(step)': CacheConfig.ExpireAfter must be a duration text, not \(other.kindDescription).")
        }
    }
}

/// A processing step's property file: `<S3Uri of output OutputName>/<FilePath>` (spec §3 "Property files").
public struct PropertyFile: Sendable, Hashable {
    public var propertyFileName: String
    public var outputName: String
    public var filePath: String

    init(_ value: JSONValue, step: String) throws(PipelineDefinitionError) {
        guard let name = value["PropertyFileName"]?.stringValue else {
            throw PipelineDefinitionError("Step '\(step)': a PropertyFiles entry has no PropertyFileName.")
        }
        guard let output = value["OutputName"]?.stringValue else {
            throw PipelineDefinitionError("Step '\(step)': property file '\(name)' has no OutputName.")
        }
        guard let path = value["FilePath"]?.stringValue else {
            throw PipelineDefinitionError("Step '\(step)': property file '\(name)' has no FilePath.")
        }
        propertyFileName = name
        outputName = output
        filePath = path
    }
}

/// A definition that cannot run; the message names the step and the field.
public struct PipelineDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
