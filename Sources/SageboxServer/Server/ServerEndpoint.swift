import Foundation

/// The server's URL, known only once it listens (port 0 picks a free port); jobs started afterwards
/// get it as AWS_ENDPOINT_URL.
final class ServerEndpoint: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?

    var url: String? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
