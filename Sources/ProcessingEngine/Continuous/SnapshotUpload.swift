import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes the current bytes of a file the job may still change: they are copied from the open file
/// into the store's temporary folder, and that copy is moved into the store (a rename), so the object
/// appears whole or not at all and the job's file stays where it is.
enum SnapshotUpload {
    static let chunkBytes = 256 * 1024

    static func publish(fd: Int32, to key: S3URI, s3: S3Store) throws {
        try FileManager.default.createDirectory(at: s3.temporaryFolder, withIntermediateDirectories: true)
        let copy = s3.temporaryFolder.appending(path: TemporaryFileName.make("continuous"))
        defer { unlink(copy.path) }  // gone already after a successful move
        let out = open(copy.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw SnapshotError.call("open(\(copy.path))", errno) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let count = pread(fd, buffer.baseAddress, chunkBytes, offset)
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(out)
                throw SnapshotError.call("read", code)
            }
            if count == 0 { break }
            var written = 0
            while written < count {
                let step = write(out, buffer.baseAddress! + written, count - written)
                if step < 0 {
                    if errno == EINTR { continue }
                    let code = errno
                    close(out)
                    throw SnapshotError.call("write(\(copy.path))", code)
                }
                written += step
            }
            offset += off_t(count)
        }
        close(out)
        _ = try s3.putObject(bucket: key.bucket, key: key.key, movingFileAt: copy)
    }
}
