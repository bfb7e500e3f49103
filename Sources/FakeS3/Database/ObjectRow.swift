import Foundation
import GRDB

/// One row of `s3_objects`: an object's metadata and the data path that holds its bytes.
struct ObjectRow {
    let object: S3Object
    /// Relative to the bucket folder.
    let dataPath: String

    private static let columns =
        "bucket, key, data_path, size, etag, content_type, user_metadata, last_modified_ms, part_sizes"

    /// Prepared once per connection (cached): GetObject and HeadObject run it on every request.
    static func fetch(_ db: Database, bucket: String, key: String) throws -> ObjectRow? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM s3_objects WHERE bucket = ? AND key = ?")
        return try Row.fetchOne(statement, arguments: [bucket, key]).map(ObjectRow.init(row:))
    }

    /// Up to `limit` rows in byte order of keys, starting at `start` (inclusive or not).
    static func fetchPage(_ db: Database, bucket: String, from start: String, inclusive: Bool,
                          limit: Int) throws -> [ObjectRow] {
        let comparison = inclusive ? ">=" : ">"
        return try Row.fetchAll(
            db,
            sql: "SELECT \(columns) FROM s3_objects WHERE bucket = ? AND key \(comparison) ? ORDER BY key LIMIT ?",
            arguments: [bucket, start, limit]
        ).map(ObjectRow.init(row:))
    }

    static func hasAny(_ db: Database, bucket: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM s3_objects WHERE bucket = ?)", arguments: [bucket])
            ?? false
    }

    static func delete(_ db: Database, bucket: String, key: String) throws {
        try db.execute(sql: "DELETE FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key])
    }

    /// Inserts the row, or replaces the row of the same bucket and key.
    func upsert(_ db: Database) throws {
        let metadata = String(decoding: try JSONEncoder.sortedKeys.encode(object.userMetadata), as: UTF8.self)
        let partSizes = try object.partSizes.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try db.execute(
            sql: "INSERT OR REPLACE INTO s3_objects (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [object.bucket, object.key, dataPath, object.size, object.etag, object.contentType,
                        metadata, EpochMilliseconds.from(object.lastModified), partSizes])
    }

    init(object: S3Object, dataPath: String) {
        self.object = object
        self.dataPath = dataPath
    }

    private init(row: Row) throws {
        let metadataJSON: String = row["user_metadata"]
        let partSizesJSON: String? = row["part_sizes"]
        object = S3Object(
            bucket: row["bucket"], key: row["key"], size: row["size"], etag: row["etag"],
            contentType: row["content_type"],
            // Most objects carry no user metadata: skip building a decoder for `{}`.
            userMetadata: metadataJSON == "{}"
                ? [:] : try JSONDecoder().decode([String: String].self, from: Data(metadataJSON.utf8)),
            lastModified: EpochMilliseconds.date(row["last_modified_ms"]),
            partSizes: try partSizesJSON.map { try JSONDecoder().decode([Int64].self, from: Data($0.utf8)) })
        dataPath = row["data_path"]
    }
}

private extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
