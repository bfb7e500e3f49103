import FakeS3
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ProcessingEngine

/// `sagebox serve`: SageMaker (JSON 1.1), S3 (REST/XML), STS, IAM and CloudWatch Logs on one port, over
/// one sagebox root, so unmodified AWS clients work by setting `AWS_ENDPOINT_URL` alone.
///
/// Jobs created over HTTP run in this process, each on a thread of its own; jobs created by the CLI
/// are run by the CLI's own runner process (one owner per job).
public struct SageboxServer: Sendable {
    /// The root whose buckets and jobs the server serves.
    public let root: SageboxRoot
    /// The address to listen on (loopback by default: sagebox checks no credentials).
    public let host: String
    /// The port; 0 picks a free one.
    public let port: Int
    /// How jobs are run; `endpoint` is filled in with the server's URL once it listens.
    public let settings: RunnerSettings
    /// Where each request is logged.
    public let logger: Logger

    /// A server for `root` on `host:port`.
    public init(root: SageboxRoot, host: String = "127.0.0.1", port: Int = 9000, settings: RunnerSettings,
                logger: Logger = Logger(label: "sagebox.server")) {
        self.root = root
        self.host = host
        self.port = port
        self.settings = settings
        self.logger = logger
    }

    /// Listens and serves until SIGINT or SIGTERM. `onListening` receives the URL
    /// (`http://HOST:PORT`, with the port actually bound) once the server accepts connections.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let endpoint = ServerEndpoint()
        let advertisedHost = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
        let responder = makeResponder(endpoint: endpoint)
        let app = Application(
            responder: responder,
            server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ContinueHandler()])),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "sagebox"),
            onServerRunning: { channel in
                let url = "http://\(advertisedHost):\(channel.localAddress?.port ?? port)"
                endpoint.url = url
                onListening(url)
            },
            logger: logger)
        try await app.runService()
    }

    func makeResponder(endpoint: ServerEndpoint) -> ServerResponder {
        let launcher = JobLauncher(root: root, settings: settings, endpoint: endpoint, logger: logger)
        return ServerResponder(
            sageMaker: SageMakerHandler(service: ProcessingJobService(root: root), launcher: launcher),
            logs: LogsHandler(catalog: LogStreamCatalog(jobs: root.jobs)),
            query: QueryProtocolHandler(),
            s3: S3Handler(store: root.s3, temporaryFolder: root.temporaryURL, serverHost: host),
            logger: logger)
    }
}
