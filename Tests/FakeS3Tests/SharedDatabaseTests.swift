import FakeS3
import Foundation
import GRDB
import Testing

@Suite struct SharedDatabaseTests {
    @Test func twoStoresOnOneDatabaseSeeEachOthersWrites() throws {
        let root = try TestRoot()
        let other = try TestRoot.openStore(at: root.url)
        try root.store.createBucket("lab")
        #expect(try other.bucketExists("lab"))

        try other.putObject(bucket: "lab", key: "from-other", data: Data("o".utf8))
        try root.store.putObject(bucket: "lab", key: "from-first", data: Data("f".utf8))
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.key) == ["from-first", "from-other"])
        #expect(try other.headObject(bucket: "lab", key: "from-first").etag
            == root.store.headObject(bucket: "lab", key: "from-first").etag)

        try root.store.deleteObject(bucket: "lab", key: "from-other")
        #expect(throws: S3Error.self) { try other.getObject(bucket: "lab", key: "from-other") }
    }

    @Test func concurrentWritersThroughTwoPoolsLoseNothing() async throws {
        let root = try TestRoot()
        let stores = [root.store, try TestRoot.openStore(at: root.url)]
        try root.store.createBucket("lab")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for n in 0..<30 {
                        // The same keys from both writers, and keys that block each other's natural paths.
                        try store.putObject(bucket: "lab", key: "shared/\(n)", data: Data("\(index)".utf8))
                        try store.putObject(bucket: "lab", key: index == 0 ? "p\(n)" : "p\(n)/child", data: Data())
                    }
                }
            }
            try await group.waitForAll()
        }
        let keys = try root.store.listObjects(bucket: "lab").objects.map(\.key)
        #expect(keys.count == 90)
        for n in 0..<30 {
            let file = try root.store.getObject(bucket: "lab", key: "shared/\(n)")
            #expect(try Data(contentsOf: file.url).count == 1)
            #expect(try FileFacts.exists(root.store.getObject(bucket: "lab", key: "p\(n)").url))
            #expect(try FileFacts.exists(root.store.getObject(bucket: "lab", key: "p\(n)/child").url))
        }
    }

    @Test func migrationsAreNamedForTheStore() throws {
        var migrator = DatabaseMigrator()
        S3Store.registerMigrations(in: &migrator)
        #expect(!migrator.migrations.isEmpty)
        #expect(migrator.migrations.allSatisfy { $0.hasPrefix("s3.") })
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        let tables = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(tables.filter { !$0.hasPrefix("grdb_") }.allSatisfy { $0.hasPrefix("s3_") })
    }
}
