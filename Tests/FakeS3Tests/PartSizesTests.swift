import FakeS3
import Foundation
import GRDB
import Testing

/// Part boundaries of objects completed from multipart uploads, which GetObject's `partNumber` serves.
@Suite struct PartSizesTests {
    private static let sizes = [5 << 20, 5 << 20, 2 << 20 + 7]

    /// Completes `key` from three parts of `sizes`, with distinct bytes; returns the object's bytes.
    @discardableResult
    private static func completeThreeParts(_ root: TestRoot, key: String) throws -> Data {
        var all = Data()
        var urls: [URL] = []
        for (index, size) in sizes.enumerated() {
            let bytes = Data(repeating: UInt8(index + 1), count: size)
            urls.append(try root.makeFile("\(key)-part-\(index + 1)", bytes))
            all += bytes
        }
        try root.store.putObject(bucket: "lab", key: key, concatenatingFilesAt: urls, etag: "96e024ba2074fe77e8e965ba43a704be-3")
        return all
    }

    @Test func aMultipartObjectRecordsEachPartsSize() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let bytes = try Self.completeThreeParts(root, key: "big")
        let expected = Self.sizes.map(Int64.init)
        #expect(try root.store.headObject(bucket: "lab", key: "big").partSizes == expected)
        let file = try root.store.getObject(bucket: "lab", key: "big")
        #expect(file.object.partSizes == expected)
        #expect(try root.store.listObjects(bucket: "lab").objects.map(\.partSizes) == [expected])
        // Part 2's range holds exactly part 2's bytes in the joined file.
        let second = try #require(file.object.byteRange(ofPart: 2))
        #expect(second == Int64(5 << 20)..<Int64(10 << 20))
        let data = try Data(contentsOf: file.url)
        #expect(data == bytes)
        #expect(data[Int(second.lowerBound)..<Int(second.upperBound)] == Data(repeating: 2, count: 5 << 20))
        #expect(file.object.byteRange(ofPart: 3) == Int64(10 << 20)..<Int64(bytes.count))
        #expect(file.object.byteRange(ofPart: 4) == nil)
        #expect(file.object.byteRange(ofPart: 0) == nil)
    }

    @Test func partSizesSurviveReopeningTheStore() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try Self.completeThreeParts(root, key: "big")
        let reopened = try TestRoot.openStore(at: root.url)
        #expect(try reopened.headObject(bucket: "lab", key: "big").partSizes == Self.sizes.map(Int64.init))
    }

    @Test func everyOtherWriteOfTheKeyClearsThem() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let writes: [(String, (String) throws -> Void)] = [
            ("data", { try root.store.putObject(bucket: "lab", key: $0, data: Data("new".utf8)) }),
            ("copy", { try root.store.putObject(bucket: "lab", key: $0, copyingFileAt: root.makeFile("c", Data("c".utf8))) }),
            ("move", { try root.store.putObject(bucket: "lab", key: $0, movingFileAt: root.makeFile("m", Data("m".utf8))) }),
        ]
        for (key, write) in writes {
            try Self.completeThreeParts(root, key: key)
            #expect(try root.store.headObject(bucket: "lab", key: key).partSizes?.count == 3)
            try write(key)
            #expect(try root.store.headObject(bucket: "lab", key: key).partSizes == nil)
            #expect(try TestRoot.openStore(at: root.url).headObject(bucket: "lab", key: key).partSizes == nil)
        }
    }

    @Test func aCopyOfAMultipartObjectIsASinglePart() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let bytes = try Self.completeThreeParts(root, key: "big")
        let source = try root.store.getObject(bucket: "lab", key: "big").url
        let copy = try root.store.putObject(bucket: "lab", key: "copy", copyingFileAt: source)
        #expect(copy.partSizes == nil)
        #expect(copy.byteRange(ofPart: 1) == 0..<Int64(bytes.count))
        #expect(copy.byteRange(ofPart: 2) == nil)
    }

    @Test func anObjectWrittenBeforeTheMigrationIsOnePart() throws {
        let root = try TestRoot()
        let path = root.url.appendingPathComponent("old.sqlite").path
        var migrator = DatabaseMigrator()
        S3Store.registerMigrations(in: &migrator)
        let pool = try DatabasePool(path: path)
        try migrator.migrate(pool, upTo: "s3.v1.buckets-and-objects")
        try pool.write { db in
            try db.execute(sql: "INSERT INTO s3_buckets (name, creation_date_ms) VALUES ('old', 0)")
            try db.execute(sql: """
                INSERT INTO s3_objects (bucket, key, data_path, size, etag, content_type, user_metadata, last_modified_ms)
                VALUES ('old', 'k', 'k', 3, '900150983cd24fb0d6963f7d28e17f72', 'text/plain', '{}', 0)
                """)
        }
        try migrator.migrate(pool)
        let store = try S3Store(bucketsFolder: root.url.appendingPathComponent("old-buckets"),
                                temporaryFolder: root.tmp, database: pool)
        let object = try store.headObject(bucket: "old", key: "k")
        #expect(object.partSizes == nil)
        #expect(object.byteRange(ofPart: 1) == 0..<3)
    }
}
