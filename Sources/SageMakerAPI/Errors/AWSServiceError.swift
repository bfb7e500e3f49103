import Foundation

/// An error in AWS's JSON 1.1 form: an error code (`__type`), a message and an HTTP status.
///
/// Client faults use HTTP 400, as the SageMaker model's exception shapes declare no status of their own.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code sent as `__type`, e.g. `ValidationException` or `ResourceInUse`.
    public var code: String
    /// The human-readable message sent as `message` (and `Message`).
    public var message: String
    /// The HTTP status of the error response.
    public var httpStatus: Int

    /// Creates an error from its parts.
    public init(code: String, message: String, httpStatus: Int = 400) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// `ValidationException` (400): the request breaks a model constraint or a cross-field rule.
    public static func validation(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ValidationException", message: message)
    }

    /// `SerializationException` (400): the body is not JSON or a member has the wrong JSON type.
    public static func serialization(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "SerializationException", message: message)
    }

    /// `ResourceInUse` (400): e.g. a processing job name that is already taken.
    public static func resourceInUse(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ResourceInUse", message: message)
    }

    /// `ResourceNotFound` (400).
    public static func resourceNotFound(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ResourceNotFound", message: message)
    }

    /// `ResourceLimitExceeded` (400): an account-level quota would be exceeded.
    public static func resourceLimitExceeded(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ResourceLimitExceeded", message: message)
    }

    /// `UnknownOperationException` (400): the `X-Amz-Target` names no operation sagebox serves. An
    /// endpoint operation (CreateEndpointConfig, CreateEndpoint, ...) says why: sagebox serves no inference.
    public static func unknownOperation(_ target: String) -> AWSServiceError {
        let message: String
        if target.isEmpty {
            message = "The request has no X-Amz-Target header naming its operation."
        } else if target.hasPrefix("SageMaker"), target.contains("Endpoint") {
            message = "Unknown operation \(target): sagebox serves no endpoints. It records models and model packages"
                + " (CreateModel, CreateModelPackage) but deploys nothing; to predict offline, load the model.tar.gz in a processing job."
        } else {
            message = "Unknown operation \(target)"
        }
        return AWSServiceError(code: "UnknownOperationException", message: message)
    }

    /// `InternalFailure` (500). botocore retries 5xx, so use it only for real server faults.
    public static func internalFailure(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "InternalFailure", message: message, httpStatus: 500)
    }

    /// The JSON 1.1 error body: `{"Message": …, "__type": code, "message": …}`.
    ///
    /// Both `message` (read by botocore) and `Message` (the modeled member name) are sent, cut to a
    /// bounded length (messages echo request values).
    public var jsonBody: Data {
        let text = EchoedText.safe(message, limit: EchoedText.maximumMessageLength)
        let body = ["__type": code, "message": text, "Message": text]
        // Encoding a [String: String] cannot fail.
        return (try? SageMakerJSON.encoder.encode(body)) ?? Data()
    }

    /// `code: message`, as the AWS CLI prints it.
    public var description: String { "\(code): \(message)" }
}
