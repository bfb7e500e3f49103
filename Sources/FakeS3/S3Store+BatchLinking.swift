import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Store {
    /// `linkObject` for many objects of one bucket: `keys[i]` appears at `destinations[i]` (paths that
    /// must not exist yet; missing parent folders are created). The data paths are looked up a page of
    /// keys per database read, and each object then costs one link(2), where `linkObject` costs a read
    /// and a folder check per object. An object that cannot simply be linked (another file system, an
    /// overwrite racing the lookup, a missing folder) goes through `linkObject`. Throws `S3BatchFailure`
    /// with the index of the first object that fails; the ones before it are linked.
    public func linkObjects(bucket: String, keys: [String], to destinations: [URL]) throws(S3BatchFailure) {
        precondition(keys.count == destinations.count, "one destination per key")
        let layout = layout(of: bucket)
        var start = 0
        while start < keys.count {
            let end = min(start + Self.listingBatchSize, keys.count)
            let files: [DataFile?]
            do {
                files = try lookUpDataFiles(bucket: bucket, keys: keys[start..<end])
            } catch {
                throw S3BatchFailure(index: start, error: error)
            }
            for (offset, file) in files.enumerated() {
                let index = start + offset
                let destination = destinations[index].path
                if let file, let source = try? layout.absolutePath(of: file.path), link(source, destination) == 0 {
                    // Kept only when it is the row's version, as in `linkObject`.
                    var linked = stat()
                    if stat(destination, &linked) == 0, ObjectRow.file(linked, holdsSize: file.size, inode: file.inode) { continue }
                    unlink(destination)
                }
                do {
                    try linkObject(bucket: bucket, key: keys[index], to: destinations[index])
                } catch {
                    throw S3BatchFailure(index: index, error: error)
                }
            }
            start = end
        }
    }

    /// What identifies a version's data file: its path, and the size and inode its row records.
    private struct DataFile {
        let path: String
        let size: Int64
        let inode: UInt64?
    }

    /// The data files of `keys` (nil for a missing key) in one read, after validating every name.
    private func lookUpDataFiles(bucket: String, keys: ArraySlice<String>) throws -> [DataFile?] {
        try BucketNameRules.validate(bucket)
        for key in keys { try ObjectKeyRules.validate(key, bucket: bucket) }
        return try database.read { db in
            try requireBucket(db, bucket)
            let statement = try db.cachedStatement(
                sql: "SELECT data_path, size, data_inode FROM s3_objects WHERE bucket = ? AND key = ?")
            return try keys.map { key in
                try Row.fetchOne(statement, arguments: [bucket, key]).map { row in
                    DataFile(path: row["data_path"], size: row["size"],
                             inode: (row["data_inode"] as Int64?).map { UInt64(bitPattern: $0) })
                }
            }
        }
    }
}
