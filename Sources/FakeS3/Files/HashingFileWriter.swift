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

    /// Appends `zeros.count` zero bytes to the hash and leaves them a hole in the file (the size is set
    /// by `finish`, so a hole at the end is kept too).
    mutating func skip(_ zeros: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: zeros)
        guard lseek(descriptor, off_t(zeros.count), SEEK_CUR) >= 0 else { throw FileSystemError(operation: "seek", path: path, errno: errno) }
        size += Int64(zeros.count)
    }

    /// The size and MD5 of everything written. The descriptor closes when the writer goes away.
    consuming func finish() throws -> FileDigest {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw FileSystemError(operation: "truncate", path: path, errno: errno) }
        return FileDigest(size: size, md5Hex: Self.hex(hasher.finalize()))
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
        return try writer.finish()
    }

    /// Copies the file at `source` to a new file at `path`, hashing as it goes; its holes stay holes.
    static func copy(from source: String, to path: String) throws -> FileDigest {
        var writer = try HashingFileWriter(creating: path)
        try forEachChunk(of: source) { chunk, isHole in
            if isHole { try writer.skip(chunk) } else { try writer.write(chunk) }
        }
        return try writer.finish()
    }

    /// Copies the whole file open as `descriptor` (read by offset; SEEK_DATA moves only its position) to
    /// a new file at `path`, hashing as it goes; its holes stay holes.
    static func copy(fromDescriptor descriptor: Int32, named source: String, to path: String) throws -> FileDigest {
        var writer = try HashingFileWriter(creating: path)
        try forEachChunk(ofDescriptor: descriptor, named: source) { chunk, isHole in
            if isHole { try writer.skip(chunk) } else { try writer.write(chunk) }
        }
        return try writer.finish()
    }

    /// Size and MD5 of the file at `source`, read in chunks.
    static func digest(of source: String) throws -> FileDigest {
        var hasher = Insecure.MD5()
        var size: Int64 = 0
        try forEachChunk(of: source) { chunk, _ in
            hasher.update(bufferPointer: chunk)
            size += Int64(chunk.count)
        }
        return FileDigest(size: size, md5Hex: hex(hasher.finalize()))
    }

    /// Calls `body` with the file's bytes in order, chunk by chunk; the holes (SEEK_HOLE) come as chunks of
    /// zeros that were not read, flagged, so a copy can leave them holes. Ends at the end of the file as
    /// read, or at its size when the copy began if that comes first.
    private static func forEachChunk(of source: String, _ body: (UnsafeRawBufferPointer, _ isHole: Bool) throws -> Void) throws {
        let descriptor = open(source, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: source, errno: errno) }
        defer { close(descriptor) }
        try forEachChunk(ofDescriptor: descriptor, named: source, body)
    }

    private static func forEachChunk(ofDescriptor descriptor: Int32, named source: String,
                                     _ body: (UnsafeRawBufferPointer, _ isHole: Bool) throws -> Void) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileSystemError(operation: "stat", path: source, errno: errno) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while offset < info.st_size {
            // Where the next data begins; ENXIO: none, the rest is a hole. Where SEEK_DATA is not known,
            // lseek says the whole file is data.
            var data = lseek(descriptor, offset, seekData)
            if data < 0 {
                guard errno == ENXIO else { throw FileSystemError(operation: "seek", path: source, errno: errno) }
                data = info.st_size
            }
            while offset < min(data, info.st_size) {
                let count = Int(min(off_t(chunkSize), min(data, info.st_size) - offset))
                try body(UnsafeRawBufferPointer(start: zeros, count: count), true)
                offset += off_t(count)
            }
            guard offset < info.st_size else { return }
            let hole = lseek(descriptor, offset, seekHole)
            let end = hole > offset ? min(hole, info.st_size) : info.st_size
            while offset < end {
                let count = pread(descriptor, buffer.baseAddress!, Int(min(off_t(chunkSize), end - offset)), offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError(operation: "read", path: source, errno: errno)
                }
                if count == 0 { return }  // shrunk meanwhile
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), false)
                offset += off_t(count)
            }
        }
    }

    private static let seekData: Int32 = 3  // SEEK_DATA, which Glibc does not export without _GNU_SOURCE
    private static let seekHole: Int32 = 4  // SEEK_HOLE

    /// A chunk of zeros, hashed in place of a hole's bytes.
    private nonisolated(unsafe) static let zeros = UnsafeRawPointer(calloc(chunkSize, 1)!)

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
