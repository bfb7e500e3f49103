import Foundation
import GRDB

/// sagebox's fake S3: buckets are folders, objects are files a person can open, and metadata (size,
/// ETag, content type, user metadata, last-modified) lives in SQLite.
///
/// Several processes may use one root at once (the CLI and a background worker). Every change to the
/// bucket folders happens inside a short IMMEDIATE transaction on the shared database, so SQLite's
/// write lock serialises writers across processes; reads take no lock on the folders.
///
/// ## Layout
/// - `<root>/buckets/<bucket>/` is a bucket. Its name passed S3's naming rules, so it cannot leave
///   `buckets/`.
/// - `<root>/buckets/<bucket>/<key>` holds an object's bytes whenever that natural path is free: the
///   key has no empty or `.` segment, no trailing `/`, no segment over 255 bytes, its first segment is
///   not `.sagebox`, no directory stands where the file goes and no file stands where a parent
///   directory goes. So `a` and `a/b` can coexist: whichever comes second cannot take its natural path.
/// - `<root>/buckets/<bucket>/.sagebox/objects/<sha256 hex of key>` holds the bytes otherwise (e.g.
///   the folder marker `dir/`, `a//b`, or `a` while `a/` is a folder).
/// - The `s3_objects` row records which path holds the data; lookups never guess. An overwrite moves
///   the data to its natural path when that has become free. Directories emptied by deletes are removed.
/// - `<root>/tmp/` receives each new version first (`<purpose>.<pid>.<start time>.<unique>.part`, named
///   after its writer so that a restart removes only dead writers' files); a rename publishes it inside
///   the transaction that writes its row, and the version it replaces keeps a second name there
///   (`replaced.<sha256 of bucket/key>.<unique>`) until the commit, so that a kill at any point leaves the
///   key's old version or its new one, each whole (`S3Store+Publishing`, `S3Store+Recovery`). Each row
///   records its data file's inode: `openObject` hands out the bytes of exactly the row it returns,
///   whatever writes race it. A file already open keeps its bytes after an overwrite or delete.
/// - Keys with a `..` segment, a leading `/`, a NUL byte, invalid UTF-8 or over 1,024 bytes are refused
///   before anything is written (see `ObjectKeyRules`).
///
/// Data files must only be read. Files a person adds to a bucket folder are not objects.
///
/// Errors: refusals are `S3Error`s (a failed system call is S3's InternalError with the call in
/// `detail`); a database failure surfaces as GRDB's `DatabaseError`.
public final class S3Store: Sendable {
    /// `<root>/buckets`.
    public let bucketsFolder: URL
    /// `<root>/tmp`, on the same file system as `bucketsFolder` so that publishing is a rename.
    public let temporaryFolder: URL
    let database: any DatabaseWriter

    /// A store over `bucketsFolder`, staging new data in `temporaryFolder`, with metadata in
    /// `database`, whose migrations (`registerMigrations(in:)`) the caller has run. Creates both folders
    /// when they are missing.
    public init(bucketsFolder: URL, temporaryFolder: URL, database: any DatabaseWriter) throws {
        self.bucketsFolder = bucketsFolder.standardizedFileURL
        self.temporaryFolder = temporaryFolder.standardizedFileURL
        self.database = database
        try FileManager.default.createDirectory(at: self.bucketsFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: self.temporaryFolder, withIntermediateDirectories: true)
    }

    /// Registers the fake S3's migrations (identifiers `s3.*`, tables `s3_*`).
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        S3Schema.registerMigrations(in: &migrator)
    }

    /// The folder of a bucket whose name has been validated.
    func layout(of bucket: String) -> ObjectLayout {
        ObjectLayout(bucketFolder: bucketsFolder.appendingPathComponent(bucket, isDirectory: true))
    }

    /// Runs `body` in an IMMEDIATE transaction: the write lock is taken at BEGIN, so file system
    /// changes made inside are serialised with every other writer of the root.
    func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs `body`, turning a failed system call into S3's InternalError for `resource`.
    func reportingFileErrors<T>(resource: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as FileSystemError {
            throw S3Error.internalError(error.description, resource: resource)
        }
    }
}
