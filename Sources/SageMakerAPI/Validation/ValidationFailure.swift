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

    /// The item as AWS prints it, with a value longer than any valid one (ten inputs print in about
    /// 1,500 characters) cut: a 1 MiB name must not make a 1 MiB message.
    public var description: String {
        let printedValue = value.map { "'\(EchoedText.safe($0, limit: 4_096))'" } ?? "null"
        return "Value \(printedValue) at '\(path)' failed to satisfy constraint: \(constraint)"
    }
}
