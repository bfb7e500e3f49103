/// Collects the model-constraint failures of a request, in member order, and renders them as
/// AWS's ValidationException message.
public struct ValidationReport: Sendable {
    /// The failures found so far.
    public private(set) var failures: [ValidationFailure] = []

    /// An empty report.
    public init() {}

    /// Records a failure.
    public mutating func add(_ failure: ValidationFailure) {
        failures.append(failure)
    }

    /// `1 validation error detected: item` or `N validation errors detected: item; item`,
    /// or nil when nothing failed.
    public var message: String? {
        guard !failures.isEmpty else { return nil }
        let noun = failures.count == 1 ? "error" : "errors"
        return "\(failures.count) validation \(noun) detected: "
            + failures.map(\.description).joined(separator: "; ")
    }

    /// Throws a ValidationException carrying `message` if anything failed.
    public func throwIfFailed() throws(AWSServiceError) {
        if let message { throw .validation(message) }
    }
}
