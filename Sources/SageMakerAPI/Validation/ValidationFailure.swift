/// One item of a ValidationException message:
/// `Value '{value}' at '{path}' failed to satisfy constraint: {constraint}`.
public struct ValidationFailure: Sendable, Equatable, CustomStringConvertible {
    /// The offending value as printed, or nil for a missing member (printed `Value null`).
    public var value: String?
    /// Where the value sits, e.g. `processingInputs.1.member.s3Input.s3InputMode`.
    public var path: ValidationPath
    /// The constraint text, e.g. `Member must not be null`.
    public var constraint: String

    /// Creates a failure item.
    public init(value: String?, path: ValidationPath, constraint: String) {
        self.value = value
        self.path = path
        self.constraint = constraint
    }

    /// The item as AWS prints it.
    public var description: String {
        let printedValue = value.map { "'\($0)'" } ?? "null"
        return "Value \(printedValue) at '\(path)' failed to satisfy constraint: \(constraint)"
    }
}
