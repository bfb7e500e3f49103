/// A request shape of one of the operations sagebox serves (generated conformances).
public protocol SageMakerRequest: Codable, Sendable, Equatable, ShapeValidatable {
    /// Checks the request as the service does before acting on it; throws ValidationException.
    func validate() throws(AWSServiceError)
}

extension SageMakerRequest {
    /// By default a request is valid when it meets the model's constraints.
    public func validate() throws(AWSServiceError) {
        try validateModel()
    }
}
