import Crypto
import Foundation

/// Decides where an object's data file lives inside its bucket folder, and keeps every path inside it.
///
/// A key's natural path is `<bucket folder>/<key>`. It is used when the key can be a plain relative
/// path (no empty, `.` or over-255-byte segment, no trailing `/`, first segment not `.sagebox`) and
/// the file system leaves room for it (every parent is a directory or missing, and the path itself is
/// missing or a regular file, which can only be this key's). Otherwise the data goes to the side area
/// `.sagebox/objects/<sha256 of key>`. Callers hold the database's write lock while they act on the
/// answer, so no other writer changes the bucket folder in between.
struct ObjectLayout {
    /// The side area, relative to the bucket folder.
    static let sideArea = ".sagebox/objects"
    /// Longest file name most file systems accept.
    static let maximumSegmentBytes = 255

    /// The bucket's folder, `<root>/buckets/<bucket>`.
    let bucketFolder: URL

    /// The data path (relative to the bucket folder) a new version of `key` should be written to.
    func placement(for key: String) throws -> String {
        if Self.canUseNaturalPath(key), try naturalPathIsFree(key) { return key }
        return Self.sidePath(for: key)
    }

    /// Whether `key` can name a file at all, before looking at the file system.
    static func canUseNaturalPath(_ key: String) -> Bool {
        let segments = KeySegments.split(key)
        if segments.first?.elementsEqual(".sagebox".utf8) == true { return false }
        return segments.allSatisfy { segment in
            !segment.isEmpty && !segment.elementsEqual(".".utf8) && !segment.elementsEqual("..".utf8)
                && segment.count <= maximumSegmentBytes
        }
    }

    /// The side-area data path of `key`.
    static func sidePath(for key: String) -> String {
        let digest = SHA256.hash(data: Data(key.utf8))
        return sideArea + "/" + HashingFileWriter.hex(digest)
    }

    private func naturalPathIsFree(_ key: String) throws -> Bool {
        let segments = KeySegments.strings(key)
        var path = bucketFolder.path
        for (index, segment) in segments.enumerated() {
            path += "/" + segment
            let kind = try PosixFiles.kind(path)
            if kind == .missing { return true }
            let isLast = index == segments.count - 1
            if isLast ? kind != .regularFile : kind != .directory { return false }
        }
        return true
    }

    /// The absolute path of a data path, refusing any path that would leave the bucket folder. The
    /// data path comes from a validated key or from the database; this re-check is defence in depth.
    func absolutePath(of dataPath: String) throws -> String {
        let bucketPath = bucketFolder.path
        let candidate = bucketPath + "/" + dataPath
        let escapes = dataPath.isEmpty || dataPath.utf8.first == UInt8(ascii: "/") || dataPath.utf8.contains(0)
            || KeySegments.split(dataPath).contains { $0.elementsEqual("..".utf8) }
        guard !escapes, candidate.utf8.starts(with: (bucketPath + "/").utf8) else {
            throw FileSystemError(operation: "refuse a path outside the bucket folder", path: candidate, errno: EPERM)
        }
        return candidate
    }

    /// Creates the directories above `dataPath`, refusing to pass through anything but a directory.
    func makeParents(of dataPath: String) throws {
        var path = bucketFolder.path
        try PosixFiles.makeDirectory(path)  // recreates a bucket folder someone removed by hand
        for segment in KeySegments.strings(dataPath).dropLast() {
            path += "/" + segment
            try PosixFiles.makeDirectory(path)
            guard try PosixFiles.kind(path) == .directory else {
                throw FileSystemError(operation: "mkdir", path: path, errno: ENOTDIR)
            }
        }
    }

    /// Removes the directories above `dataPath` that are now empty, up to the bucket folder (best effort).
    func removeEmptyParents(of dataPath: String) {
        var segments = KeySegments.strings(dataPath).dropLast()
        while !segments.isEmpty {
            guard PosixFiles.removeDirectoryIfEmpty(bucketFolder.path + "/" + segments.joined(separator: "/")) else {
                return
            }
            segments = segments.dropLast()
        }
    }
}
