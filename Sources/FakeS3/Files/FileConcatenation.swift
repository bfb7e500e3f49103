#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Joins files one after the other into a new file without bringing them into memory: the kernel copies
/// (`copy_file_range`, which may also share blocks on file systems that can) where it is able, a
/// chunked read/write loop elsewhere.
enum FileConcatenation {
    #if canImport(Glibc)
    /// copy_file_range(2) from libc, looked up at run time: Glibc declares it only under _GNU_SOURCE,
    /// so Swift does not see it. Nil on a libc without it (before glibc 2.27).
    private typealias CopyFileRange = @convention(c) (
        Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    private static let copyFileRange: CopyFileRange? = dlsym(nil, "copy_file_range").map {
        unsafeBitCast($0, to: CopyFileRange.self)
    }
    #endif

    /// Creates `path` (which must not exist) holding the bytes of every file of `sources` in order.
    /// Returns the number of bytes taken from each source, in order: the part boundaries of the new file.
    static func concatenate(_ sources: [String], into path: String) throws -> [Int64] {
        let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw FileSystemError(operation: "create", path: path, errno: errno) }
        defer { close(output) }
        var sizes: [Int64] = []
        for source in sources {
            let input = open(source, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw FileSystemError(operation: "open", path: source, errno: errno) }
            defer { close(input) }
            sizes.append(try append(input, from: source, to: output, at: path))
        }
        return sizes
    }

    /// Appends everything `input` holds from its current offset to `output`'s current offset.
    private static func append(_ input: Int32, from source: String, to output: Int32, at path: String) throws -> Int64 {
        var copied: Int64 = 0
        #if canImport(Glibc)
        while let copyFileRange = Self.copyFileRange {
            let count = copyFileRange(input, nil, output, nil, 1 << 30, 0)
            if count > 0 { copied += Int64(count); continue }
            if count == 0 { return copied }
            if errno == EINTR { continue }
            // Not supported between these files (another file system, an old kernel): copy by hand,
            // from where the kernel stopped (both offsets advanced together).
            guard [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP].contains(errno) else {
                throw FileSystemError(operation: "copy_file_range to \(path)", path: source, errno: errno)
            }
            break
        }
        #endif
        return copied + (try streamedCopy(input, from: source, to: output, at: path))
    }

    /// read/write in chunks, from both descriptors' current offsets.
    private static func streamedCopy(_ input: Int32, from source: String, to output: Int32, at path: String) throws -> Int64 {
        var copied: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: HashingFileWriter.chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress!, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "read", path: source, errno: errno)
            }
            if count == 0 { return copied }
            var offset = 0
            while offset < count {
                let written = write(output, buffer.baseAddress! + offset, count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError(operation: "write", path: path, errno: errno)
                }
                offset += written
            }
            copied += Int64(count)
        }
    }
}
