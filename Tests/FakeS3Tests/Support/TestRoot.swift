import FakeS3
import Foundation
import GRDB

/// A fresh sagebox root in a temporary folder: `sagebox.sqlite` (WAL, migrated), `buckets/`, `tmp/`.
/// Removed when the value goes away.
final class TestRoot {
    let url: URL
    let store: S3Store

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fakes3-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        store = try Self.openStore(at: url)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Another store on the same root, through its own DatabasePool (as a second process would).
    static func openStore(at root: URL) throws -> S3Store {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: root.appendingPathComponent("sagebox.sqlite").path,
                                    configuration: configuration)
        var migrator = DatabaseMigrator()
        S3Store.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        return try S3Store(bucketsFolder: root.appendingPathComponent("buckets"),
                           temporaryFolder: root.appendingPathComponent("tmp"), database: pool)
    }

    var buckets: URL { url.appendingPathComponent("buckets") }
    var tmp: URL { url.appendingPathComponent("tmp") }

    /// Every path under the root (relative), except the database's own files.
    func tree() -> Set<String> {
        var paths: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let path = enumerator?.nextObject() as? String {
            if !path.hasPrefix("sagebox.sqlite") { paths.insert(path) }
        }
        return paths
    }

    /// Writes `contents` to a new file outside the buckets (the caller's own file).
    func makeFile(_ name: String, _ contents: Data) throws -> URL {
        let file = url.appendingPathComponent("work", isDirectory: true).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        return file
    }
}
