import Foundation
import GRDB

extension S3Store {
    /// A new file in the temporary folder, its name unique to this call.
    func newTemporaryPath() -> String {
        try? FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
        return temporaryFolder.appendingPathComponent("s3-put-\(UUID().uuidString).part").path
    }

    /// Publishes the finished file at `temporaryPath` as the object `bucket`/`key`. In one IMMEDIATE
    /// transaction: the row is upserted, then the file is renamed into place (the last step that can
    /// fail, so a failure rolls the row back and leaves the old object intact), then the previous
    /// version's data file is removed if it lived elsewhere. The object's ETag is `etag` when given
    /// (a multipart object's), else the MD5 of its bytes. Its part sizes are the digest's, so every
    /// write other than a multipart completion clears those of the previous version.
    func publish(bucket: String, key: String, temporaryPath: String, digest: FileDigest, etag: String? = nil,
                 contentType: String?, userMetadata: [String: String]) throws -> S3Object {
        let layout = layout(of: bucket)
        return try writeTransaction { db in
            try requireBucket(db, bucket)
            return try publishRow(db, layout: layout, bucket: bucket, key: key, temporaryPath: temporaryPath, digest: digest,
                                  etag: etag, contentType: contentType, userMetadata: userMetadata)
        }
    }

    /// The body of `publish`, inside the caller's write transaction (whose bucket it has checked).
    func publishRow(_ db: Database, layout: ObjectLayout, bucket: String, key: String, temporaryPath: String,
                    digest: FileDigest, etag: String? = nil, contentType: String?,
                    userMetadata: [String: String]) throws -> S3Object {
        let previous = try ObjectRow.fetch(db, bucket: bucket, key: key)
        let dataPath = try layout.placement(for: key)
        let destination = try layout.absolutePath(of: dataPath)
        let lastModified = EpochMilliseconds.date(EpochMilliseconds.now())
        let object = S3Object(
            bucket: bucket, key: key, size: digest.size, etag: etag ?? digest.md5Hex,
            contentType: contentType ?? S3Object.defaultContentType, userMetadata: userMetadata,
            lastModified: lastModified, partSizes: digest.partSizes)
        try ObjectRow(object: object, dataPath: dataPath).upsert(db)
        try layout.makeParents(of: dataPath)
        // The file's mtime is the object's LastModified, so `ls -l` in a bucket agrees with S3.
        try? FileManager.default.setAttributes([.modificationDate: lastModified], ofItemAtPath: temporaryPath)
        try PosixFiles.rename(temporaryPath, to: destination)
        if let previous, previous.dataPath != dataPath {
            try? PosixFiles.removeFile(try layout.absolutePath(of: previous.dataPath))
            layout.removeEmptyParents(of: previous.dataPath)
        }
        return object
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
