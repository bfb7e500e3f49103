import Foundation

/// What a `JobRunner` needs beyond the root: where the launcher is, and the settings for points the
/// real service leaves open (spec §12).
public struct RunnerSettings: Sendable {
    /// The `sagebox-launcher` executable.
    public var launcher: URL
    /// The samples' Python environment, put on PATH by the default image table.
    public var pythonEnvironment: URL?
    /// Upload EndOfJob outputs of Failed and Stopped jobs too (off, as on AWS; for debugging).
    public var uploadOnFailure: Bool = false
    /// Seconds between SIGTERM and SIGKILL when a job is stopped (StopProcessingJob, MaxRuntimeInSeconds,
    /// or another instance failing). 120 s, as for training jobs; shorter for tests and impatient users.
    public var stopGrace: TimeInterval = 120
    /// A job is stopped, Failed with a ClientError, when the free space of the root's file system falls
    /// under this (`--disk-floor`), and no volume is made larger than the free space above it. 2 GiB
    /// leaves room for SQLite, logs and the shell of whoever must clean up.
    public var diskFloorBytes: UInt64 = defaultDiskFloorBytes
    public static let defaultDiskFloorBytes: UInt64 = 2 << 30
    /// What the shared cgroup of all running instances leaves to the host (memory, PIDs).
    public var hostReserve = HostReserve()
    /// Passed to jobs as AWS_ENDPOINT_URL when a server is running.
    public var endpoint: String?
    /// Passed to jobs as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: the first key of `serve --credentials`.
    public var accessKey = AccessKey.unchecked
    /// Called with each log line as it is read, prefixed by the host when the job has several.
    public var echo: (@Sendable (_ host: String, _ line: String) -> Void)?
    /// Called as the job enters each phase (`JobPhase`), for a command that shows them.
    public var progress: (@Sendable (JobPhase) -> Void)?

    public init(launcher: URL, pythonEnvironment: URL? = ImageTable.findPythonEnvironment()) {
        self.launcher = launcher
        self.pythonEnvironment = pythonEnvironment
    }

    /// `SAGEBOX_LAUNCHER`, else `sagebox-launcher` beside the running executable (SwiftPM builds both
    /// products into the same folder).
    public static func findLauncher(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["SAGEBOX_LAUNCHER"], !path.isEmpty { return URL(filePath: path) }
        return URL(filePath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appending(path: "sagebox-launcher")
    }
}
