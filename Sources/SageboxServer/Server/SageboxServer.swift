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
    /// The address to listen on (loopback by default: without `credentials` sagebox checks no signature).
    public let host: String
    /// The port; 0 picks a free one.
    public let port: Int
    /// How jobs are run; `endpoint` is filled in with the server's URL once it listens.
    public let settings: RunnerSettings
    /// Host names served besides the loopback ones and `host` itself (`serve --allow-host`).
    public let allowedHosts: [String]
    /// Web origins allowed to send requests (`serve --allow-origin`); pages of any other are refused.
    public let allowedOrigins: [String]
    /// How long a connection may send nothing (between requests, inside a request's head or inside
    /// its body) before it is closed: half-sent requests must not hold connections for ever.
    public let idleTimeout: Duration
    /// The access keys whose SigV4 signatures are accepted (`serve --credentials`); nil accepts any request.
    public let credentials: CredentialsFile?
    /// Whether `POST /_sagebox/reset` may empty the root (`serve --ephemeral` or `--allow-reset`).
    public let reset: ResetPolicy
    /// Where each request is logged.
    public let logger: Logger

    /// A server for `root` on `host:port`.
    public init(root: SageboxRoot, host: String = "127.0.0.1", port: Int = 9000, settings: RunnerSettings,
                allowedHosts: [String] = [], allowedOrigins: [String] = [], idleTimeout: Duration = .seconds(60),
                credentials: CredentialsFile? = nil, reset: ResetPolicy = .refused, logger: Logger = Logger(label: "sagebox.server")) {
        self.root = root
        self.host = host
        self.port = port
        var settings = settings
        // Jobs sign their requests to this server with its first key.
        if let key = credentials?.keys.first { settings.accessKey = key }
        self.settings = settings
        self.credentials = credentials
        self.allowedHosts = allowedHosts
        self.allowedOrigins = allowedOrigins
        self.idleTimeout = idleTimeout
        self.reset = reset
        self.logger = logger
    }

    /// Listens and serves until SIGINT, SIGTERM or SIGHUP. `onListening` receives the URL it listens on
    /// (`http://HOST:PORT`, with the port actually bound, `0.0.0.0` if so bound) once the server accepts
    /// connections.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let endpoint = ServerEndpoint()
        // Jobs need an address they can connect to: the unspecified address is reached through loopback.
        let jobHost = Self.isUnspecified(host) ? "127.0.0.1" : host
        let responder = makeResponder(endpoint: endpoint)
        let channel = HTTP1Channel.Configuration(additionalChannelHandlers: [ContinueHandler()],
                                                 idleTimeout: TimeAmount(idleTimeout))
        let app = Application(
            responder: responder,
            server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "sagebox"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                endpoint.url = "http://\(Self.urlHost(jobHost)):\(port)"
                onListening("http://\(Self.urlHost(host)):\(port)")
            },
            logger: logger)
        // SIGHUP too (the terminal that started it closed): the jobs end and an ephemeral root is removed,
        // as on SIGTERM, instead of the process dying with them running.
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint, .sighup])
    }

    /// Whether `host` is an address other machines may reach (not loopback), for the warning at start.
    public static func isExposed(host: String) -> Bool {
        !RequestGuard.isLoopback(host.lowercased())
    }

    private static func isUnspecified(_ host: String) -> Bool {
        host == "0.0.0.0" || host == "::"
    }

    /// An IPv6 literal in brackets, as URLs write it.
    private static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    func makeResponder(endpoint: ServerEndpoint) -> ServerResponder {
        let launcher = JobLauncher(root: root, settings: settings, endpoint: endpoint, logger: logger)
        return ServerResponder(
            sageMaker: SageMakerHandler(service: JobService(root: root), registry: ModelRegistryService(root: root),
                                        pipelines: PipelineService(root: root), launcher: launcher),
            logs: LogsHandler(jobs: root.jobs),
            query: QueryProtocolHandler(),
            s3: S3Handler(store: root.s3, temporaryFolder: root.temporaryURL, serverHost: host),
            reset: ResetHandler(root: root, policy: reset),
            access: RequestGuard(hosts: [host] + allowedHosts, origins: allowedOrigins),
            verifier: credentials.map { SignatureVerifier(credentials: $0) },
            logger: logger)
    }
}
