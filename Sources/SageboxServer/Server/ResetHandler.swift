import Dispatch
import Foundation
import Hummingbird
import ProcessingEngine
import SageMakerAPI

/// `POST /_sagebox/reset` and its alias `POST /moto-api/reset` (what moto's server mode sends before and
/// after each test): stops every job and pipeline execution, waits for them, and empties the root
/// (`RootReset`). Only a server that may lose its data answers it: `serve --ephemeral` or `--allow-reset`.
struct ResetHandler: Sendable {
    /// The paths that reset the root; no S3 operation is a POST to either without a query.
    static let paths: Set<String> = ["/_sagebox/reset", "/moto-api/reset"]

    let root: SageboxRoot
    let policy: ResetPolicy

    /// Resets run one at a time, on a queue of their own: waiting for jobs blocks, and must not block
    /// the concurrency pool the server answers on.
    private static let queue = DispatchQueue(label: "sagebox.reset")

    func handle() async -> Response {
        guard policy.allowed else {
            return Self.answer(status: 403, [
                "__type": "ResetNotAllowed",
                "message": "sagebox refuses to reset the root \(root.url.path): it holds data this server was not "
                    + "told it may delete. Start a server for tests with `sagebox serve --ephemeral`, or allow it "
                    + "with `sagebox serve --allow-reset`. Nothing was changed.",
            ])
        }
        let reset = RootReset(root: root, timeout: policy.timeout)
        let outcome: Result<RootReset.Summary, any Error> = await withCheckedContinuation { done in
            Self.queue.async { done.resume(returning: Result { try reset.run() }) }
        }
        switch outcome {
        case let .success(summary):
            return Self.answer(status: 200, ["status": "ok", "stoppedJobs": summary.stoppedJobs,
                                             "stoppedPipelineExecutions": summary.stoppedPipelineExecutions])
        case let .failure(error):
            return Self.answer(status: 500, ["__type": "ResetFailed", "message": "sagebox could not reset the root: \(error)"])
        }
    }

    private static func answer(status: Int, _ body: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers, body: Reply.bytes(data))
    }
}

/// Whether a server may reset its root, and how long a reset waits for the jobs it stops.
public struct ResetPolicy: Sendable {
    public var allowed: Bool
    public var timeout: TimeInterval

    public init(allowed: Bool, timeout: TimeInterval) {
        self.allowed = allowed
        self.timeout = timeout
    }

    /// Refused: a root is somebody's data unless the server was told otherwise.
    public static let refused = ResetPolicy(allowed: false, timeout: 0)
}
