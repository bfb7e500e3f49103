import Foundation
import SageMakerAPI

/// A step's cache key (spec §3 "Caching", DG pipelines-default-keys): the step's name and type, and the
/// key attributes of its **evaluated** arguments (open question 3, decided: after evaluation, so a changed
/// parameter value is a miss; output locations are not key attributes, so a downstream step fed a cached
/// step's outputs can hit too).
public struct CacheKey: Sendable, Hashable {
    public let stepName: String
    public let stepType: String
    /// The key attributes as canonical JSON (sorted keys), so equal arguments give equal text.
    public let attributes: String

    /// The arguments that enter a step type's key; types without any are never cached.
    public static func keyAttributes(of type: StepType) -> [String] {
        switch type {
        case .processing: ["AppSpecification", "Environment", "ProcessingInputs"]
        case .training:
            ["AlgorithmSpecification", "CheckpointConfig", "DebugHookConfig", "DebugRuleConfigurations", "Environment", "HyperParameters", "InputDataConfig"]
        case .other("Transform"): ["DataProcessing", "Environment", "ModelName", "TransformInput"]
        default: []
        }
    }

    /// A key as the store remembers it (its attributes' canonical text).
    public init(stepName: String, stepType: String, attributes: String) {
        self.stepName = stepName
        self.stepType = stepType
        self.attributes = attributes
    }

    /// The key of a step about to run with these evaluated arguments; nil when the step type is not cached.
    public init?(step: PipelineStep, evaluatedArguments: JSONValue) {
        let names = Self.keyAttributes(of: step.type)
        guard !names.isEmpty else { return nil }
        var attributes: [String: JSONValue] = [:]
        for name in names {
            if let value = evaluatedArguments[name] { attributes[name] = value }
        }
        stepName = step.name
        stepType = step.type.rawValue
        self.attributes = JSONValue.object(attributes).canonicalText
    }
}

/// A successful earlier run of a step of the same pipeline, as the store remembers it.
public struct CachedStepRun: Sendable, Hashable {
    public var key: CacheKey
    public var pipelineExecutionArn: String
    /// When the run succeeded: the age that ExpireAfter limits.
    public var endTime: Date

    public init(key: CacheKey, pipelineExecutionArn: String, endTime: Date) {
        self.key = key
        self.pipelineExecutionArn = pipelineExecutionArn
        self.endTime = endTime
    }

    /// The most recent run with an equal key that has not expired (DG pipelines-caching: "Pipelines uses
    /// the result for the most recent successful run"); nil when caching is off or nothing matches.
    public static func hit(for key: CacheKey, config: CacheConfig?, now: Date, among runs: [CachedStepRun]) -> CachedStepRun? {
        guard let config, config.enabled else { return nil }
        return runs
            .filter { run in run.key == key && (config.expireAfter.map { $0.date(after: run.endTime) >= now } ?? true) }
            .max { $0.endTime < $1.endTime }
    }
}

/// `CacheConfig.ExpireAfter`: an ISO 8601 duration, read leniently (open question 3): the `P` is optional
/// and letters may be lower case, so the docs' own examples `30d`, `5y`, `T16m`, `30dT5h`, `p30d` parse
/// as well as `PT1H` and `P4DT12H`. Before the `T`, M means months; after it, minutes.
public struct ExpireAfter: Sendable, Hashable {
    public var years = 0.0, months = 0.0, weeks = 0.0, days = 0.0
    public var hours = 0.0, minutes = 0.0, seconds = 0.0

    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        if rest.first == "P" { rest = rest.dropFirst() }
        var inTime = false
        var sawComponent = false
        var sawTimeComponent = true
        var number = ""
        while let character = rest.first {
            rest = rest.dropFirst()
            if character.isNumber || character == "." || character == "," {
                number.append(character == "," ? "." : character)
                continue
            }
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                sawTimeComponent = false
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            switch (inTime, character) {
            case (false, "Y"): years = value
            case (false, "M"): months = value
            case (false, "W"): weeks = value
            case (false, "D"): days = value
            case (true, "H"): hours = value
            case (true, "M"): minutes = value
            case (true, "S"): seconds = value
            default: return nil
            }
            sawComponent = true
            sawTimeComponent = true
        }
        // "P1DT" is as wrong as "PT": a T must be followed by a time component.
        guard sawComponent, sawTimeComponent, number.isEmpty else { return nil }
    }

    /// The moment a result made at `start` expires, on the UTC Gregorian calendar (months and years are
    /// calendar months and years; fractions of them count as 30 and 365 days).
    public func date(after start: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = start
        let wholeYears = years.rounded(.down), wholeMonths = months.rounded(.down)
        if wholeYears > 0 { date = calendar.date(byAdding: .year, value: Int(wholeYears), to: date) ?? .distantFuture }
        if wholeMonths > 0 { date = calendar.date(byAdding: .month, value: Int(wholeMonths), to: date) ?? .distantFuture }
        let day = 86_400.0
        let rest = (years - wholeYears) * 365 * day + (months - wholeMonths) * 30 * day + weeks * 7 * day + days * day
            + hours * 3_600 + minutes * 60 + seconds
        return date.addingTimeInterval(rest)
    }
}
