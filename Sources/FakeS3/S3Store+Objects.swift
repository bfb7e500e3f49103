import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Store {
    /// PutObject from bytes in memory. Replaces an existing object of the same key atomically.
    @discardableResult
    public func putObject(bucket: String, key: String, data: Data, contentType: String? = nil,
                          userMetadata: [String: String] = [:]) throws -> S3Object {
        try publishNewFile(bucket: bucket, key: key, contentType: contentType, userMetadata: userMetadata) {
            try HashingFileWriter.write(data, to: $0)
        }
    }

    /// PutObject from a copy of the regular file at `source` (symbolic links are followed), read in chunks.
    @discardableResult
    public func putObject(bucket: String, key: String, copyingFileAt source: URL, contentType: String? = nil,
                          userMetadata: [String: String] = [:]) throws -> S3Object {
        try publishNewFile(bucket: bucket, key: key, contentType: contentType, userMetadata: userMetadata) {
            guard try PosixFiles.kind(source.resolvingSymlinksInPath().path) == .regularFile else {
                throw S3Error.invalidArgument("\(source.path) is not a regular file.", resource: "/\(bucket)/\(key)")
            }
            return try HashingFileWriter.copy(from: source.path, to: $0)
        }
    }

    /// PutObject that consumes the caller's regular file at `source` (not a symbolic link): on the same
    /// file system it is linked into the temporary folder and renamed into place, so no byte is copied;
    /// otherwise, or when the file has other hard links (which must not become the object's data), it
    /// is copied. On success `source` no longer exists; on failure it is left untouched.
    @discardableResult
    public func putObject(bucket: String, key: String, movingFileAt source: URL, contentType: String? = nil,
                          userMetadata: [String: String] = [:]) throws -> S3Object {
        let object = try publishNewFile(bucket: bucket, key: key, contentType: contentType,
                                        userMetadata: userMetadata) { temporaryPath in
            try takeFile(at: source, into: temporaryPath, resource: "/\(bucket)/\(key)")
        }
        try? PosixFiles.removeFile(source.path)
        return object
    }

    /// Fills `temporaryPath` with the bytes of the regular file at `source` (not a symbolic link): a hard
    /// link when it is on the store's file system and has no other links, a hashing copy otherwise.
    func takeFile(at source: URL, into temporaryPath: String, resource: String, linking: Bool = true) throws -> FileDigest {
        let status = try PosixFiles.status(source.path)
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw S3Error.invalidArgument("\(source.path) is not a regular file.", resource: resource)
        }
        if linking, status.st_nlink == 1, (try? PosixFiles.link(source.path, to: temporaryPath)) != nil {
            chmod(temporaryPath, 0o644)
            return try HashingFileWriter.digest(of: temporaryPath)
        }
        return try HashingFileWriter.copy(from: source.path, to: temporaryPath)
    }

    /// HeadObject: the object's metadata, or NoSuchBucket / NoSuchKey.
    public func headObject(bucket: String, key: String) throws -> S3Object {
        try lookUp(bucket: bucket, key: key).object
    }

    /// GetObject: the metadata and the URL of the file holding the bytes (read it, never write it).
    public func getObject(bucket: String, key: String) throws -> S3ObjectFile {
        let row = try lookUp(bucket: bucket, key: key)
        let path = try reportingFileErrors(resource: "/\(bucket)/\(key)") {
            try layout(of: bucket).absolutePath(of: row.dataPath)
        }
        return S3ObjectFile(object: row.object, url: URL(fileURLWithPath: path))
    }

    /// DeleteObject. Like S3, deleting a missing key succeeds; a missing bucket is NoSuchBucket.
    public func deleteObject(bucket: String, key: String) throws {
        try BucketNameRules.validate(bucket)
        try ObjectKeyRules.validate(key, bucket: bucket)
        let layout = layout(of: bucket)
        try reportingFileErrors(resource: "/\(bucket)/\(key)") {
            try writeTransaction { db in
                try requireBucket(db, bucket)
                guard let row = try ObjectRow.fetch(db, bucket: bucket, key: key) else { return }
                try ObjectRow.delete(db, bucket: bucket, key: key)
                try PosixFiles.removeFile(try layout.absolutePath(of: row.dataPath))
                layout.removeEmptyParents(of: row.dataPath)
            }
        }
    }

    /// The row of an existing object, after validating the names.
    func lookUp(bucket: String, key: String) throws -> ObjectRow {
        try BucketNameRules.validate(bucket)
        try ObjectKeyRules.validate(key, bucket: bucket)
        return try database.read { db in
            try requireBucket(db, bucket)
            guard let row = try ObjectRow.fetch(db, bucket: bucket, key: key) else {
                throw S3Error.noSuchKey(bucket: bucket, key: key)
            }
            return row
        }
    }
}
