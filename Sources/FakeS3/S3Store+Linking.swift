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
    /// object leave the destination's bytes unchanged. The link is kept only when it reaches the version
    /// the object's row names (by inode and size, as `openObject` checks); after a few tries, or across
    /// file systems, the bytes are copied through `openObject` instead.
    @discardableResult
    public func linkObject(bucket: String, key: String, to destination: URL) throws -> S3LinkMethod {
        let resource = "/\(bucket)/\(key)"
        let layout = layout(of: bucket)
        for _ in 0..<3 {
            let row = try lookUp(bucket: bucket, key: key)
            let source = try reportingFileErrors(resource: resource) { try layout.absolutePath(of: row.dataPath) }
            // Only after the names passed validation and the object was found.
            try makeParentFolder(of: destination, resource: resource)
            do {
                try PosixFiles.link(source, to: destination.path)
            } catch let error as FileSystemError where error.errno == ENOENT {
                continue  // an overwrite moved the data file between lookup and link: look up again
            } catch let error as FileSystemError where [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(error.errno) {
                break
            } catch let error as FileSystemError {
                throw S3Error.internalError(error.description, resource: resource)
            }
            // The path may already hold a newer version, or one whose writer has not committed yet (and
            // may be killed before it does): only the row's own version is kept.
            if let linked = try? PosixFiles.status(destination.path), row.isHeld(by: linked) { return .hardLink }
            try? PosixFiles.removeFile(destination.path)
        }
        try copyObjectData(bucket: bucket, key: key, to: destination)
        return .copy
    }

    /// Copies the object's bytes to `destination` (a path that must not exist yet; missing parent folders
    /// are created): a file of its own, which may be written in place. The bytes are read through
    /// `openObject`, so they are one whole version, the one its row names.
    public func copyObjectData(bucket: String, key: String, to destination: URL) throws {
        let resource = "/\(bucket)/\(key)"
        let source = try openObject(bucket: bucket, key: key)
        try makeParentFolder(of: destination, resource: resource)
        _ = try reportingFileErrors(resource: resource) {
            try HashingFileWriter.copy(fromDescriptor: source.descriptor, named: resource, to: destination.path)
        }
    }

    private func makeParentFolder(of destination: URL, resource: String) throws {
        try reportingFileErrors(resource: resource) {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
    }
}
