import Foundation

extension S3Store {
    /// CompleteMultipartUpload's publishing step: the files at `parts`, in order, joined into one new
    /// object `bucket`/`key` whose ETag is `etag` as given (see `MultipartETag`), not the MD5 of its
    /// bytes. The parts are copied by the kernel into a temporary file on the root's file system, never
    /// through memory, and that file is published as every object is (its row and a rename in one
    /// transaction): readers see the old object or the whole new one. The part files are left as they are.
    /// The object records each part's size (`S3Object.partSizes`), until another write of the key.
    @discardableResult
    public func putObject(bucket: String, key: String, concatenatingFilesAt parts: [URL], etag: String,
                          contentType: String? = nil, userMetadata: [String: String] = [:]) throws -> S3Object {
        guard !etag.isEmpty, !etag.contains("\"") else {
            throw S3Error.invalidArgument("An ETag must be given without quotes.", resource: "/\(bucket)/\(key)")
        }
        return try publishNewFile(bucket: bucket, key: key, etag: etag, contentType: contentType,
                                  userMetadata: userMetadata) { temporaryPath in
            for part in parts where try PosixFiles.kind(part.path) != .regularFile {
                throw S3Error.invalidArgument("\(part.path) is not a regular file.", resource: "/\(bucket)/\(key)")
            }
            let sizes = try FileConcatenation.concatenate(parts.map(\.path), into: temporaryPath)
            // Not hashed: the given ETag is the object's. The part sizes serve GetObject's partNumber.
            return FileDigest(size: sizes.reduce(0, +), md5Hex: etag, partSizes: sizes)
        }
    }
}
