import FakeS3
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

/// An object's open data file (`S3Store.openObject`), streamed into a response body in chunks. The
/// descriptor closes when the last reference goes, whether or not the body was ever written (client gone).
final class ObjectFileReader: Sendable {
    static let chunkSize = 256 * 1024

    private let file: S3OpenObject
    private let resource: String

    init(file: S3OpenObject, resource: String) {
        self.file = file
        self.resource = resource
    }

    /// A response body of `length` bytes from `offset`.
    func body(offset: Int64, length: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            var position = offset
            let end = offset + length
            while position < end {
                let count = Int(min(Int64(Self.chunkSize), end - position))
                let buffer = try self.read(at: position, count: count)
                try await writer.write(buffer)
                position += Int64(buffer.readableBytes)
            }
            try await writer.finish(nil)
        }
    }

    private func read(at offset: Int64, count: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var n = 0
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            n = pread(file.descriptor, raw.baseAddress!, count, off_t(offset))
            return max(0, n)
        }
        guard n > 0 else {
            throw S3Error.internalError("read of the data file ended early (\(n), errno \(errno))", resource: resource)
        }
        return buffer
    }
}
