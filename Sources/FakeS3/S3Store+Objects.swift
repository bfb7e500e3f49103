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

    /// CopyObject: a new version with the bytes of `source` (from `openObject`), read through its
    /// descriptor, so the copy is exactly that version whatever happens to the source key meanwhile.
    @discardableResult
    public func putObject(bucket: String, key: String, copying source: S3OpenObject, contentType: String? = nil,
                          userMetadata: [String: String] = [:]) throws -> S3Object {
        try publishNewFile(bucket: bucket, key: key, contentType: contentType, userMetadata: userMetadata) {
            try HashingFileWriter.copy(fromDescriptor: source.descriptor,
                                       named: "/\(source.object.bucket)/\(source.object.key)", to: $0)
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

    /// GetObject: the metadata and the URL of the file holding the bytes (read it, never write it). The
    /// file is looked up by path, so a write of the key racing this call may show another version's bytes,
    /// each whole: `openObject` when the bytes must be the metadata's.
    public func getObject(bucket: String, key: String) throws -> S3ObjectFile {
        let row = try lookUp(bucket: bucket, key: key)
        let path = try reportingFileErrors(resource: "/\(bucket)/\(key)") {
            try layout(of: bucket).absolutePath(of: row.dataPath)
        }
        return S3ObjectFile(object: row.object, url: URL(fileURLWithPath: path))
    }

    /// GetObject with the bytes open: the metadata and a descriptor of exactly that version's bytes,
    /// whatever PUT, COPY or DELETE of the key runs at the same time; NoSuchKey when a delete wins.
    ///
    /// The file is opened before the row is read again, and taken only when the row still names it by
    /// inode and size: the open descriptor keeps its inode alive, and a current row's file is alive, so
    /// no other file can have that inode meanwhile, and data files are never written in place. When the
    /// row has not changed but the file does not match, a writer is between renaming and committing (or
    /// was killed there): the write lock waits for the first and `restoreSetAside` repairs the second.
    public func openObject(bucket: String, key: String) throws -> S3OpenObject {
        let resource = "/\(bucket)/\(key)"
        var row = try lookUp(bucket: bucket, key: key)
        let layout = layout(of: bucket)
        return try reportingFileErrors(resource: resource) {
            // Each retry follows a newer committed version; after a few, the lock settles it.
            for _ in 0..<4 {
                let descriptor = try Self.openData(layout, row)
                let current = try database.unsafeRead { try ObjectRow.fetch($0, bucket: bucket, key: key) }
                guard let current else {
                    if descriptor >= 0 { close(descriptor) }
                    throw S3Error.noSuchKey(bucket: bucket, key: key)
                }
                if descriptor >= 0, current.dataPath == row.dataPath, Self.descriptor(descriptor, holds: current) {
                    return S3OpenObject(object: current.object, descriptor: descriptor)
                }
                if descriptor >= 0 { close(descriptor) }
                if current == row { break }
                row = current
            }
            // Under the write lock no file or row of the bucket changes.
            return try writeTransaction { db in
                guard let row = try ObjectRow.fetch(db, bucket: bucket, key: key) else {
                    throw S3Error.noSuchKey(bucket: bucket, key: key)
                }
                for attempt in 0..<2 {
                    let descriptor = try Self.openData(layout, row)
                    if descriptor >= 0, Self.descriptor(descriptor, holds: row) {
                        return S3OpenObject(object: row.object, descriptor: descriptor)
                    }
                    if descriptor >= 0 { close(descriptor) }
                    guard attempt == 0, try restoreSetAside(row, layout: layout) else { break }
                }
                throw S3Error.internalError("the data file \(row.dataPath) no longer holds the object (changed outside sagebox?)",
                                            resource: resource)
            }
        }
    }

    /// The row's data file opened read-only, or -1 when it is missing.
    private static func openData(_ layout: ObjectLayout, _ row: ObjectRow) throws -> Int32 {
        let path = try layout.absolutePath(of: row.dataPath)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 || errno == ENOENT || errno == ENOTDIR else {
            throw FileSystemError(operation: "open", path: path, errno: errno)
        }
        return descriptor
    }

    private static func descriptor(_ descriptor: Int32, holds row: ObjectRow) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && row.isHeld(by: info)
    }

    /// DeleteObject. Like S3, deleting a missing key succeeds; a missing bucket is NoSuchBucket. The data
    /// file is set aside (see `S3Store+Recovery`) and removed after the commit, so a process killed
    /// before the commit leaves the object whole.
    public func deleteObject(bucket: String, key: String) throws {
        try BucketNameRules.validate(bucket)
        try ObjectKeyRules.validate(key, bucket: bucket)
        let layout = layout(of: bucket)
        try reportingFileErrors(resource: "/\(bucket)/\(key)") {
            let setAside = try writeTransaction { db -> String? in
                try requireBucket(db, bucket)
                guard let row = try ObjectRow.fetch(db, bucket: bucket, key: key) else { return nil }
                try ObjectRow.delete(db, bucket: bucket, key: key)
                let setAside = try self.setAside(row, layout: layout, keepingItsPath: false)
                layout.removeEmptyParents(of: row.dataPath)
                return setAside
            }
            removeSetAside([setAside].compactMap { $0 })
        }
    }

    /// The row of an existing object, after validating the names. One SELECT without a transaction (it
    /// reads one consistent snapshot by itself; BEGIN and COMMIT cost more), the bucket only looked at
    /// when the key is missing: a bucket with objects cannot be deleted.
    func lookUp(bucket: String, key: String) throws -> ObjectRow {
        try BucketNameRules.validate(bucket)
        try ObjectKeyRules.validate(key, bucket: bucket)
        return try database.unsafeRead { db in
            guard let row = try ObjectRow.fetch(db, bucket: bucket, key: key) else {
                try requireBucket(db, bucket)
                throw S3Error.noSuchKey(bucket: bucket, key: key)
            }
            return row
        }
    }
}
