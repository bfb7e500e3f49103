/// An AWS access key pair: what `sagebox serve --credentials` accepts, and what jobs get in their
/// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to reach that server.
public struct AccessKey: Sendable, Equatable {
    public let id: String
    public let secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// What jobs get when the server checks no signature: any key signs requests it accepts.
    public static let unchecked = AccessKey(id: "sagebox", secret: "sagebox")
}
