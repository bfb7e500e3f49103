import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gunzips an object's data file as it is read, through libarchive's gzip filter and its raw format
/// (one "entry": the decompressed stream). Memory stays at a few buffers whatever the object's size.
/// Concatenated gzip members decompress as one stream, as `gunzip` does.
struct GzipObjectReader {
    static let chunkBytes = 256 * 1024

    /// Hands the decompressed bytes of the file open as `fd` (close-on-exec, from its current offset) to
    /// `sink` chunk by chunk; `sink` returns false to stop early. The descriptor stays open.
    static func stream(_ fd: Int32, into sink: (UnsafeRawBufferPointer) -> Bool) -> ObjectReadEnd {
        guard let archive = archive_read_new() else { return .failed(.pipe, "archive_read_new failed") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_raw(archive)
        var entry: OpaquePointer?
        guard archive_read_open_fd(archive, fd, chunkBytes) == sagebox_archive_ok else {
            return .failed(.decompress, message(archive))
        }
        let header = archive_read_next_header(archive, &entry)
        if header == sagebox_archive_eof { return .failed(.decompress, "not in gzip format") }
        guard header == sagebox_archive_ok || header == sagebox_archive_warn else {
            return .failed(.decompress, message(archive))
        }
        // The raw format accepts any bytes; without the gzip filter in the chain they are not gzip.
        guard archive_filter_code(archive, 0) == ARCHIVE_FILTER_GZIP else {
            return .failed(.decompress, "not in gzip format")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = archive_read_data(archive, buffer.baseAddress, chunkBytes)
            if count == 0 { return .finished }
            if count < 0 {
                if count == Int(sagebox_archive_warn) { continue }
                return .failed(.decompress, message(archive))
            }
            guard sink(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else { return .sinkRefused }
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error \(archive_errno(archive))"
    }
}
