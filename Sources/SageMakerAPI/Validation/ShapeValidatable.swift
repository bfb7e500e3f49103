/// A generated structure that can check its members against the SageMaker model's constraints.
public protocol ShapeValidatable {
    /// Appends a failure for every broken constraint of this structure and its nested members.
    func collectFailures(at path: ValidationPath, into report: inout ValidationReport)
}

extension ShapeValidatable {
    /// Checks the model constraints (required, length, range, pattern, enum) from the top and
    /// throws AWS's ValidationException if any fails.
    public func validateModel() throws(AWSServiceError) {
        var report = ValidationReport()
        collectFailures(at: .root, into: &report)
        try report.throwIfFailed()
    }
}
