import Crypto
import FakeS3
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

/// A request body written to a temporary file under `<root>/tmp` as it arrives (aws-chunked framing
/// removed), so an upload of any size costs the server one buffer of memory. The store then takes the
/// file over by rename (`S3Store.putObject(movingFileAt:)`); `discard()` removes what is left.
struct UploadedFile: Sendable {
    let url: URL
    let size: Int64
    /// The MD5 of the bytes as lowercase hex, when `receive` was asked to compute it (multipart parts).
    let md5Hex: String?

    /// Streams `request`'s body into a new file in `folder`. Throws RequestBodyError when the body is
    /// cut short or its framing is broken.
    static func receive(_ request: Request, into folder: URL, resource: String, hashing: Bool = false) async throws -> UploadedFile {
        let url = folder.appending(path: TemporaryFileName.make("http-put"))
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw S3Error.internalError("open \(url.path): errno \(errno)", resource: resource) }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            var md5 = hashing ? Insecure.MD5() : nil
            let written = try await RequestBodyReader.stream(request) { slice in
                try writeAll(fd, slice, path: url.path, resource: resource)
                md5?.update(data: slice)
            }
            closed = true
            guard close(fd) == 0 else { throw S3Error.internalError("close \(url.path): errno \(errno)", resource: resource) }
            let digest = md5.map { $0.finalize().map { String(format: "%02x", $0) }.joined() }
            return UploadedFile(url: url, size: written, md5Hex: digest)
        } catch {
            unlink(url.path)
            throw error
        }
    }

    /// Removes the file if the store did not take it.
    func discard() {
        unlink(url.path)
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String, resource: String) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw S3Error.internalError("write \(path): errno \(errno)", resource: resource)
                }
                offset += n
            }
        }
    }
}
