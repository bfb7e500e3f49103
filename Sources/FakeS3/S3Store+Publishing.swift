import Foundation
import GRDB

/// Publishing a new version, and why it survives a kill at any point.
///
/// A version is published in one IMMEDIATE transaction: its row (with the inode of its file) is upserted,
/// the version it replaces is set aside (a second name in `<root>/tmp`, see `setAside`), the new file is
/// renamed into place, the transaction commits, and only then is the set-aside name removed. A process
/// killed before the commit leaves the row on the previous version while its path may already hold the
/// new bytes; the previous bytes are then still under their set-aside name, and whoever next finds the
/// mismatch under the write lock (a reader, a writer of the key, a restart: `restoreSetAside`) renames them
/// back. So after a kill the key holds its previous version or the new one, each whole.
///
/// Chosen over writing every version to a path of its own: objects stay files at their keys' paths, as
/// people and the job staging (hard links) expect, and a publish still costs one transaction. Readers tell
/// versions apart by inode instead of by path (`openObject`).
extension S3Store {
    /// A new file in the temporary folder, its name unique to this call and naming this process as its writer.
    func newTemporaryPath() -> String {
        try? FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
        return temporaryFolder.appendingPathComponent(TemporaryFileName.make("s3-put")).path
    }

    /// Publishes the finished file at `temporaryPath` as the object `bucket`/`key` (see above). The
    /// object's ETag is `etag` when given (a multipart object's), else the MD5 of its bytes. Its part
    /// sizes are the digest's, so every write other than a multipart completion clears those of the
    /// previous version.
    func publish(bucket: String, key: String, temporaryPath: String, digest: FileDigest, etag: String? = nil,
                 contentType: String?, userMetadata: [String: String]) throws -> S3Object {
        let layout = layout(of: bucket)
        let (object, setAside) = try writeTransaction { db in
            try requireBucket(db, bucket)
            return try publishRow(db, layout: layout, bucket: bucket, key: key, temporaryPath: temporaryPath, digest: digest,
                                  etag: etag, contentType: contentType, userMetadata: userMetadata)
        }
        removeSetAside([setAside].compactMap { $0 })
        return object
    }

    /// The body of `publish`, inside the caller's write transaction (whose bucket it has checked). Returns
    /// the object and the set-aside path of the version it replaced, for the caller to remove once the
    /// transaction has committed (and only then).
    func publishRow(_ db: Database, layout: ObjectLayout, bucket: String, key: String, temporaryPath: String,
                    digest: FileDigest, etag: String? = nil, contentType: String?,
                    userMetadata: [String: String]) throws -> (object: S3Object, setAside: String?) {
        let previous = try ObjectRow.fetch(db, bucket: bucket, key: key)
        let dataPath = try layout.placement(for: key)
        let destination = try layout.absolutePath(of: dataPath)
        let written = try PosixFiles.status(temporaryPath)
        let lastModified = EpochMilliseconds.date(EpochMilliseconds.now())
        let object = S3Object(
            bucket: bucket, key: key, size: digest.size, etag: etag ?? digest.md5Hex,
            contentType: contentType ?? S3Object.defaultContentType, userMetadata: userMetadata,
            lastModified: lastModified, partSizes: digest.partSizes)
        try ObjectRow(object: object, dataPath: dataPath, dataInode: UInt64(written.st_ino)).upsert(db)
        try layout.makeParents(of: dataPath)
        // The file's mtime is the object's LastModified, so `ls -l` in a bucket agrees with S3.
        try? FileManager.default.setAttributes([.modificationDate: lastModified], ofItemAtPath: temporaryPath)
        // The previous version keeps a name until the commit: a link when the rename below replaces it,
        // or its path itself when the new version goes elsewhere (that path is then free for this key only).
        let setAside = try previous.flatMap { try self.setAside($0, layout: layout, keepingItsPath: $0.dataPath == dataPath) }
        do {
            try PosixFiles.rename(temporaryPath, to: destination)
        } catch {
            if let setAside, let previous { try? putBack(setAside, as: previous, layout: layout) }
            throw error
        }
        if let previous, previous.dataPath != dataPath { layout.removeEmptyParents(of: previous.dataPath) }
        return (object, setAside)
    }

    /// Runs `write` to fill a new temporary file, then publishes it (with `etag`, if given, as its ETag);
    /// the temporary file never outlives a failure.
    func publishNewFile(bucket: String, key: String, etag: String? = nil, contentType: String?, userMetadata: [String: String],
                        write: (String) throws -> FileDigest) throws -> S3Object {
        try BucketNameRules.validate(bucket)
        try ObjectKeyRules.validate(key, bucket: bucket)
        // Checked before any byte is written, and again inside the publishing transaction.
        guard try bucketExists(bucket) else { throw S3Error.noSuchBucket(bucket) }
        let temporaryPath = newTemporaryPath()
        defer { try? PosixFiles.removeFile(temporaryPath) }
        return try reportingFileErrors(resource: "/\(bucket)/\(key)") {
            let digest = try write(temporaryPath)
            return try publish(bucket: bucket, key: key, temporaryPath: temporaryPath, digest: digest, etag: etag,
                               contentType: contentType, userMetadata: userMetadata)
        }
    }
}
