import GRDB

/// Queries on `s3_buckets`.
enum BucketRow {
    /// Every object request checks its bucket: the statement is prepared once per connection (cached),
    /// as parsing the SQL anew cost more than running it.
    static func fetch(_ db: Database, name: String) throws -> S3Bucket? {
        let statement = try db.cachedStatement(sql: "SELECT name, creation_date_ms FROM s3_buckets WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map(bucket(from:))
    }

    static func fetchAll(_ db: Database) throws -> [S3Bucket] {
        try Row.fetchAll(db, sql: "SELECT name, creation_date_ms FROM s3_buckets ORDER BY name")
            .map(bucket(from:))
    }

    static func insert(_ db: Database, name: String, creationDateMilliseconds: Int64) throws {
        try db.execute(sql: "INSERT INTO s3_buckets (name, creation_date_ms) VALUES (?, ?)",
                       arguments: [name, creationDateMilliseconds])
    }

    static func delete(_ db: Database, name: String) throws {
        try db.execute(sql: "DELETE FROM s3_buckets WHERE name = ?", arguments: [name])
    }

    private static func bucket(from row: Row) -> S3Bucket {
        S3Bucket(name: row["name"], creationDate: EpochMilliseconds.date(row["creation_date_ms"]))
    }
}
