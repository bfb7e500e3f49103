import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a new file chunk by chunk while hashing it with MD5, so an ETag never needs a whole object in
/// memory. Also reads existing files the same way (`digest(of:)`, `copy(from:to:)`).
struct HashingFileWriter: ~Copyable {
    /// Bytes read or written per system call.
    static let chunkSize = 1 << 20

    let path: String
    private let descriptor: Int32
    private var hasher = Insecure.MD5()
    private var size: Int64 = 0

    /// Creates `path`, which must not exist yet, with mode 0644.
    init(creating path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(operation: "create", path: path, errno: errno) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends `bytes` to the file and to the hash.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
        size += Int64(bytes.count)
    }

    /// The size and MD5 of everything written. The descriptor closes when the writer goes away.
    consuming func finish() -> FileDigest {
        FileDigest(size: size, md5Hex: Self.hex(hasher.finalize()))
    }

    /// Writes `data` to a new file at `path`, in chunks.
    static func write(_ data: Data, to path: String) throws -> FileDigest {
        var writer = try HashingFileWriter(creating: path)
        try data.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + chunkSize, bytes.count)
                try writer.write(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
        return writer.finish()
    }

    /// Copies the file at `source` to a new file at `path`, hashing as it goes.
    static func copy(from source: String, to path: String) throws -> FileDigest {
        var writer = try HashingFileWriter(creating: path)
        try forEachChunk(of: source) { try writer.write($0) }
        return writer.finish()
    }

    /// Copies the whole file open as `descriptor` (read by offset, so the descriptor may be shared) to a
    /// new file at `path`, hashing as it goes.
    static func copy(fromDescriptor descriptor: Int32, named source: String, to path: String) throws -> FileDigest {
        var writer = try HashingFileWriter(creating: path)
        try forEachChunk(ofDescriptor: descriptor, named: source) { try writer.write($0) }
        return writer.finish()
    }

    /// Size and MD5 of the file at `source`, read in chunks.
    static func digest(of source: String) throws -> FileDigest {
        var hasher = Insecure.MD5()
        var size: Int64 = 0
        try forEachChunk(of: source) { chunk in
            hasher.update(bufferPointer: chunk)
            size += Int64(chunk.count)
        }
        return FileDigest(size: size, md5Hex: hex(hasher.finalize()))
    }

    private static func forEachChunk(of source: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(source, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: source, errno: errno) }
        defer { close(descriptor) }
        try forEachChunk(ofDescriptor: descriptor, named: source, body)
    }

    private static func forEachChunk(ofDescriptor descriptor: Int32, named source: String,
                                     _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let count = pread(descriptor, buffer.baseAddress!, chunkSize, offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "read", path: source, errno: errno)
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += off_t(count)
        }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

/// write(2), named apart from `HashingFileWriter.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
