import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes the current bytes of a file the job may still change: they are copied from the open file
/// into the store's temporary folder, and that copy is moved into the store (a rename), so the object
/// appears whole or not at all and the job's file stays where it is. The copy keeps the file's holes
/// (`SparseFile`), so a sparse output takes no more of the host's disk than of the volume.
enum SnapshotUpload {
    static func publish(fd: Int32, to key: S3URI, s3: S3Store) throws {
        try FileManager.default.createDirectory(at: s3.temporaryFolder, withIntermediateDirectories: true)
        let copy = s3.temporaryFolder.appending(path: TemporaryFileName.make("continuous"))
        defer { unlink(copy.path) }  // gone already after a successful move
        let out = open(copy.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw SnapshotError.call("open(\(copy.path))", errno) }
        defer { close(out) }
        try SparseFile.copy(from: fd, "the output file", to: out, copy.path)
        _ = try s3.putObject(bucket: key.bucket, key: key.key, movingFileAt: copy)
    }
}
