import GRDB

/// The fake S3's tables in the shared database. Migrations are explicit and append-only: a later
/// change (multipart uploads, tags) adds a migration; it never edits one that shipped.
enum S3Schema {
    static let buckets = "s3_buckets"
    static let objects = "s3_objects"

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("s3.v1.buckets-and-objects") { db in
            try db.execute(sql: """
                CREATE TABLE s3_buckets (
                    name TEXT NOT NULL PRIMARY KEY,
                    creation_date_ms INTEGER NOT NULL      -- milliseconds since the Unix epoch
                ) WITHOUT ROWID;

                -- key uses the BINARY collation, which compares UTF-8 bytes: S3's listing order.
                -- data_path is relative to the bucket folder: the key itself, or .sagebox/objects/<sha256>.
                CREATE TABLE s3_objects (
                    bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                    key TEXT NOT NULL COLLATE BINARY,
                    data_path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,                    -- hex MD5, no quotes
                    content_type TEXT NOT NULL,
                    user_metadata TEXT NOT NULL,           -- JSON object of strings
                    last_modified_ms INTEGER NOT NULL,     -- milliseconds since the Unix epoch
                    PRIMARY KEY (bucket, key)
                ) WITHOUT ROWID;
                """)
        }
        // The part sizes of an object completed from a multipart upload, so GetObject and HeadObject
        // can serve `partNumber`: a JSON array of sizes. NULL for every other object, including those
        // written before. (No SQL comment here: SQLite splices the column text into the stored CREATE
        // TABLE, where a trailing `--` would swallow its closing parenthesis.)
        migrator.registerMigration("s3.v2.part-sizes") { db in
            try db.execute(sql: "ALTER TABLE s3_objects ADD COLUMN part_sizes TEXT")
        }
        // The inode of each version's data file, which a rename keeps: with the size it tells the
        // version's bytes from any other version's (see `ObjectRow.dataInode`). NULL for rows written before.
        migrator.registerMigration("s3.v3.data-inode") { db in
            try db.execute(sql: "ALTER TABLE s3_objects ADD COLUMN data_inode INTEGER")
        }
    }
}
