import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Store {
    /// Makes the object's bytes appear at `destination` (a path that must not exist yet; missing parent
    /// folders are created) without copying them where possible: a hard link to the data file on the
    /// same file system, a copy otherwise. Used for zero-copy staging.
    ///
    /// A hard-linked destination IS the stored object's data: it must never be written in place (the
    /// engine guarantees that by putting an overlay mount between a job and its staged inputs).
    /// Replacing it by rename, or deleting it, is harmless, and later overwrites or deletes of the
    /// object leave the destination's bytes unchanged.
    @discardableResult
    public func linkObject(bucket: String, key: String, to destination: URL) throws -> S3LinkMethod {
        let resource = "/\(bucket)/\(key)"
        var attempt = 0
        while true {
            let source = try getObject(bucket: bucket, key: key).url.path
            // Only after the names passed validation and the object was found.
            try reportingFileErrors(resource: resource) {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
            }
            do {
                try PosixFiles.link(source, to: destination.path)
                return .hardLink
            } catch let error as FileSystemError where error.errno == ENOENT && attempt < 3 {
                attempt += 1  // an overwrite moved the data file between lookup and link: look up again
            } catch let error as FileSystemError where [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(error.errno) {
                _ = try reportingFileErrors(resource: resource) {
                    try HashingFileWriter.copy(from: source, to: destination.path)
                }
                return .copy
            } catch let error as FileSystemError {
                throw S3Error.internalError(error.description, resource: resource)
            }
        }
    }

    /// Copies the object's bytes to `destination` (a path that must not exist yet; missing parent folders
    /// are created): a file of its own, which may be written in place.
    public func copyObjectData(bucket: String, key: String, to destination: URL) throws {
        let resource = "/\(bucket)/\(key)"
        let source = try getObject(bucket: bucket, key: key).url.path
        _ = try reportingFileErrors(resource: resource) {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            return try HashingFileWriter.copy(from: source, to: destination.path)
        }
    }
}
