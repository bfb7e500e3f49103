/// CloudWatch Logs errors, in the service's JSON 1.1 form and wording.
struct LogsError: Error, Sendable {
    let code: String
    let message: String

    static let groupNotFound = LogsError(code: "ResourceNotFoundException", message: "The specified log group does not exist.")
    static let streamNotFound = LogsError(code: "ResourceNotFoundException", message: "The specified log stream does not exist.")

    static func invalidParameter(_ message: String) -> LogsError {
        LogsError(code: "InvalidParameterException", message: message)
    }

    /// `{"__type": code, "message": message}`.
    var jsonBody: [String: String] { ["__type": code, "message": message] }
}
