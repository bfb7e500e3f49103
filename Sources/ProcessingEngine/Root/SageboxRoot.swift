import FakeS3
import Foundation
import GRDB
import JobStore

/// The one folder that holds all of sagebox's state, and the stores opened on it.
///
/// Layout:
/// ```
/// <root>/sagebox.sqlite      the database (WAL): S3 metadata, jobs, timelines, log events, models
/// <root>/buckets/<bucket>/   the fake S3's objects, as files (see `S3Store` for the layout)
/// <root>/jobs/<folder>/      one folder per job: staged inputs, each instance's /opt/ml and /tmp
/// <root>/images.json         the image table (`ImageTable`), a file a person can edit
/// <root>/tmp/                temporary files, renamed into place when complete
/// ```
public struct SageboxRoot: Sendable {
    public let url: URL
    public let database: DatabasePool
    public let s3: S3Store
    public let jobs: JobStore
    /// Models, model package groups and model packages (the registry).
    public let models: ModelStore
    /// Pipelines, their versions, executions and steps.
    public let pipelines: PipelineStore

    public var bucketsURL: URL { url.appending(path: "buckets", directoryHint: .isDirectory) }
    public var jobsURL: URL { url.appending(path: "jobs", directoryHint: .isDirectory) }
    public var temporaryURL: URL { url.appending(path: "tmp", directoryHint: .isDirectory) }
    public var imageTableURL: URL { url.appending(path: "images.json") }

    /// Opens (creating when missing) the root at `url` and brings its database schema up to date.
    public init(url: URL) throws {
        self.url = url.standardizedFileURL
        let fm = FileManager.default
        for folder in ["buckets", "jobs", "tmp"] {
            try fm.createDirectory(at: self.url.appending(path: folder), withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        // The CLI, a background runner and the server may share the root: wait for locks, never fail at once.
        configuration.busyMode = .timeout(30)
        database = try DatabasePool(path: self.url.appending(path: "sagebox.sqlite").path, configuration: configuration)
        var migrator = DatabaseMigrator()
        S3Store.registerMigrations(in: &migrator)
        JobStore.registerMigrations(in: &migrator)
        ModelStore.registerMigrations(in: &migrator)
        PipelineStore.registerMigrations(in: &migrator)
        // Two processes opening a new root at once (a `run` and a `logs`, say) would each find a migration
        // not applied yet and both apply it ("index ... already exists"): one at a time, under a lock on a
        // file beside the database.
        let lock = open(self.url.appending(path: "sagebox.sqlite.migrating").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        defer { if lock >= 0 { close(lock) } }
        try migrator.migrate(database)
        s3 = try S3Store(bucketsFolder: self.url.appending(path: "buckets"), temporaryFolder: self.url.appending(path: "tmp"), database: database)
        jobs = JobStore(database: database)
        models = ModelStore(database: database)
        pipelines = PipelineStore(database: database)
    }

    /// `--root`, else `SAGEBOX_ROOT`, else `$XDG_DATA_HOME/sagebox`, else `~/.local/share/sagebox`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let root = environment["SAGEBOX_ROOT"], !root.isEmpty { return URL(filePath: root, directoryHint: .isDirectory) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(filePath: data, directoryHint: .isDirectory).appending(path: "sagebox", directoryHint: .isDirectory)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appending(path: ".local/share/sagebox", directoryHint: .isDirectory)
    }
}
