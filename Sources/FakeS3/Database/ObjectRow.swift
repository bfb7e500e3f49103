import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One row of `s3_objects`: an object's metadata and the data path that holds its bytes.
struct ObjectRow: Equatable {
    let object: S3Object
    /// Relative to the bucket folder.
    let dataPath: String
    /// The inode of the file holding this version's bytes (nil in rows written before it was recorded).
    /// Data files are never written in place, so a file with this inode and the row's size holds exactly
    /// this version, whatever its path says now (see `S3Store.openObject`).
    let dataInode: UInt64?

    private static let columns =
        "bucket, key, data_path, size, etag, content_type, user_metadata, last_modified_ms, part_sizes, data_inode"

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

    /// Every row of `bucket`, read as the cursor advances.
    static func fetchCursor(_ db: Database, bucket: String) throws -> MapCursor<RowCursor, ObjectRow> {
        try Row.fetchCursor(db, sql: "SELECT \(columns) FROM s3_objects WHERE bucket = ?", arguments: [bucket])
            .map(ObjectRow.init(row:))
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
            sql: "INSERT OR REPLACE INTO s3_objects (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [object.bucket, object.key, dataPath, object.size, object.etag, object.contentType,
                        metadata, EpochMilliseconds.from(object.lastModified), partSizes,
                        dataInode.map { Int64(bitPattern: $0) }])
    }

    init(object: S3Object, dataPath: String, dataInode: UInt64?) {
        self.object = object
        self.dataPath = dataPath
        self.dataInode = dataInode
    }

    /// Whether the file `info` describes (from stat or fstat) holds this version's bytes. A row written
    /// before inodes were recorded can only be checked by size.
    func isHeld(by info: stat) -> Bool {
        Self.file(info, holdsSize: object.size, inode: dataInode)
    }

    /// `isHeld` from the two columns that identify a version's file.
    static func file(_ info: stat, holdsSize size: Int64, inode: UInt64?) -> Bool {
        Int64(info.st_size) == size && (inode.map { UInt64(info.st_ino) == $0 } ?? true)
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
        dataInode = (row["data_inode"] as Int64?).map { UInt64(bitPattern: $0) }
    }
}

private extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
