import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an object's data file in fixed chunks, so that an object of any size costs one buffer.
struct PlainObjectReader {
    static let chunkBytes = 256 * 1024

    /// Hands the bytes of the file open as `fd` (from its current offset) to `sink` chunk by chunk;
    /// `sink` returns false to stop early. The descriptor stays open.
    static func stream(_ fd: Int32, into sink: (UnsafeRawBufferPointer) -> Bool) -> ObjectReadEnd {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunkBytes)
            if count == 0 { return .finished }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(.download, "read: \(String(cString: strerror(errno)))")
            }
            guard sink(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else { return .sinkRefused }
        }
    }
}
