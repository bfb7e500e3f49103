import Foundation

/// Sparse files: created with a size and no blocks, copied extent by extent so holes stay holes.
enum SparseFile {
    private static let seekData: Int32 = 3  // SEEK_DATA
    private static let seekHole: Int32 = 4  // SEEK_HOLE

    /// Creates `url` (which must not exist) with `sizeBytes` and no data blocks.
    static func create(_ url: URL, sizeBytes: UInt64) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("create", url, errno) }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(sizeBytes)) == 0 else { throw failure("truncate", url, errno) }
    }

    /// Copies `source` to `destination` (which must not exist): the same size, the data extents copied
    /// (a few MiB for a fresh ext4), the holes left as holes.
    static func copy(_ source: URL, to destination: URL) throws {
        let input = open(source.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("open", source, errno) }
        defer { close(input) }
        let output = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw failure("create", destination, errno) }
        defer { close(output) }
        try copy(from: input, source.path, to: output, destination.path)
    }

    /// Copies the open file `input` into the empty open file `output` extent by extent (SEEK_DATA and
    /// SEEK_HOLE), so that its holes stay holes: the whole size is set first, then only the data is written.
    /// Reads up to the size `input` had when the copy began.
    static func copy(from input: Int32, _ source: String, to output: Int32, _ destination: String) throws {
        var info = stat()
        guard fstat(input, &info) == 0 else { throw failure("stat", source, errno) }
        guard ftruncate(output, info.st_size) == 0 else { throw failure("truncate", destination, errno) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var start = lseek(input, 0, seekData)
        while start >= 0, start < info.st_size {
            let end = min(lseek(input, start, seekHole), info.st_size)
            guard end > start else { break }
            var offset = start
            while offset < end {
                let count = pread(input, buffer.baseAddress!, min(buffer.count, Int(end - offset)), offset)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw failure("read", source, errno) }
                if count == 0 { return }  // the file shrank meanwhile: the rest stays a hole
                var written = 0
                while written < count {
                    let result = pwrite(output, buffer.baseAddress! + written, count - written, offset + off_t(written))
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else { throw failure("write", destination, result < 0 ? errno : EIO) }
                    written += result
                }
                offset += off_t(count)
            }
            start = lseek(input, end, seekData)
        }
        // ENXIO: no data past `start`, the normal end of the walk.
        if start < 0 && errno != ENXIO { throw failure("lseek", source, errno) }
    }

    /// rename(2).
    static func rename(_ source: URL, to destination: URL) throws {
        guard Glibc.rename(source.path, destination.path) == 0 else { throw failure("rename", source, errno) }
    }

    private static func failure(_ operation: String, _ url: URL, _ code: Int32) -> SparseFileError {
        failure(operation, url.path, code)
    }

    private static func failure(_ operation: String, _ path: String, _ code: Int32) -> SparseFileError {
        SparseFileError(operation: operation, path: path, code: code)
    }
}

/// A failed system call on a sparse file.
struct SparseFileError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    /// The file was too large for its file system, or the file system full: a problem of size, which
    /// another volume size might avoid, not of this machine's ability to make volumes.
    var isSizeProblem: Bool { [EFBIG, ENOSPC, EDQUOT].contains(code) }

    var description: String { "\(operation) \(path) failed: \(String(cString: strerror(code)))" }
}
