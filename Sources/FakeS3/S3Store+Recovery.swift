import Crypto
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Versions set aside while they are replaced or deleted, and what a restart finishes for writers that
/// were killed (see `S3Store+Publishing`).
///
/// A set-aside version lives at `<root>/tmp/replaced.<sha256 of bucket/key>.<unique>`: on the buckets'
/// file system (so setting aside and putting back are renames or links), named after its key (so the
/// versions of one key are found without the database, which a kill rolls back), and unique (so a
/// writer removing its own after the commit never removes another writer's).
extension S3Store {
    private static let setAsidePrefix = "replaced."

    /// Gives `row`'s data file a second name in the temporary folder, before a transaction replaces or
    /// deletes it: a link (the path keeps the file until the rename over it), or a rename (the path is
    /// freed). Returns the new name, or nil when the data file is missing. A data file that does not
    /// hold the row's version (a writer was killed before) is first put right, so the bytes set aside
    /// are the row's. Call under the write lock.
    func setAside(_ row: ObjectRow, layout: ObjectLayout, keepingItsPath: Bool) throws -> String? {
        let path = try layout.absolutePath(of: row.dataPath)
        if (try? PosixFiles.status(path)).map(row.isHeld) != true { try restoreSetAside(row, layout: layout) }
        guard PosixFiles.exists(path) else { return nil }
        try FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
        let setAside = temporaryFolder.appendingPathComponent(
            Self.setAsidePrefix + Self.setAsideTag(bucket: row.object.bucket, key: row.object.key) + "." + UUID().uuidString).path
        if keepingItsPath {
            try PosixFiles.link(path, to: setAside)
        } else {
            try PosixFiles.rename(path, to: setAside)
        }
        return setAside
    }

    /// Undoes `setAside` of `row` after the change that needed it failed, still under the write lock.
    func putBack(_ setAside: String, as row: ObjectRow, layout: ObjectLayout) throws {
        let path = try layout.absolutePath(of: row.dataPath)
        if try PosixFiles.kind(path) == .missing {
            try layout.makeParents(of: row.dataPath)
            try PosixFiles.rename(setAside, to: path)
        } else {
            try PosixFiles.removeFile(setAside)
        }
    }

    /// Removes set-aside versions once the transaction that replaced or deleted them has committed.
    func removeSetAside(_ paths: [String]) {
        for path in paths { try? PosixFiles.removeFile(path) }
    }

    /// Under the write lock, when `row`'s data file does not hold its version: a writer was killed
    /// between setting the version aside and committing. Moves the set-aside bytes back to the row's
    /// path and returns true, or returns false when no set-aside file holds them (the data file was
    /// changed or removed by hand). The other set-aside versions of the key are stale and removed.
    @discardableResult
    func restoreSetAside(_ row: ObjectRow, layout: ObjectLayout) throws -> Bool {
        var restored = false
        for candidate in setAsideFiles(bucket: row.object.bucket, key: row.object.key) {
            if !restored, let info = try? PosixFiles.status(candidate), row.isHeld(by: info) {
                try layout.makeParents(of: row.dataPath)
                try PosixFiles.rename(candidate, to: try layout.absolutePath(of: row.dataPath))
                restored = true
            } else {
                try? PosixFiles.removeFile(candidate)
            }
        }
        return restored
    }

    /// Finishes what killed writers left: every object whose data file does not hold its row's version
    /// gets its set-aside bytes back, and stale set-aside files are removed. Run at start (`sagebox
    /// serve`); under the write lock, so no live writer is between setting aside and committing.
    /// Returns the number of objects put back.
    @discardableResult
    public func finishInterruptedWrites() throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryFolder.path)) ?? []
        let tags = Set(names.filter { $0.hasPrefix(Self.setAsidePrefix) }.map { $0.split(separator: ".")[1] })
        guard !tags.isEmpty else { return 0 }
        return try writeTransaction { db in
            var restored = 0
            for bucket in try BucketRow.fetchAll(db) {
                let layout = layout(of: bucket.name)
                let rows = try ObjectRow.fetchCursor(db, bucket: bucket.name)
                while let row = try rows.next() {
                    guard tags.contains(Substring(Self.setAsideTag(bucket: bucket.name, key: row.object.key))) else { continue }
                    let held = (try? PosixFiles.status(try layout.absolutePath(of: row.dataPath))).map(row.isHeld) ?? false
                    if !held, try restoreSetAside(row, layout: layout) { restored += 1 }
                }
            }
            // Under the lock, every set-aside file left is stale: its transaction committed or rolled back.
            for name in names where name.hasPrefix(Self.setAsidePrefix) {
                try? PosixFiles.removeFile(temporaryFolder.appendingPathComponent(name).path)
            }
            return restored
        }
    }

    /// Removes the temporary files (`*.part` in `<root>/tmp`) whose writer is gone: uploads cut off by a
    /// kill. A live process's files, a CLI's beside a server, are left alone; files named before writers
    /// were named are removed once untouched for an hour. Returns how many files and bytes were removed.
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> (files: Int, bytes: Int64) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryFolder.path)) ?? []
        var removed = (files: 0, bytes: Int64(0))
        for name in names {
            let path = temporaryFolder.appendingPathComponent(name).path
            guard let writer = TemporaryFileName.writer(of: name),
                  let info = try? PosixFiles.status(path), info.st_mode & S_IFMT == S_IFREG else { continue }
            switch writer {
            case .process(let process) where process.isAlive: continue
            case .unnamed where Double(info.st_mtim.tv_sec) > Date().timeIntervalSince1970 - 3600: continue
            default: break
            }
            if (try? PosixFiles.removeFile(path)) != nil {
                removed.files += 1
                removed.bytes += Int64(info.st_size)
            }
        }
        return removed
    }

    private func setAsideFiles(bucket: String, key: String) -> [String] {
        let prefix = Self.setAsidePrefix + Self.setAsideTag(bucket: bucket, key: key) + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryFolder.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { temporaryFolder.appendingPathComponent($0).path }
    }

    private static func setAsideTag(bucket: String, key: String) -> String {
        HashingFileWriter.hex(SHA256.hash(data: Data("\(bucket)/\(key)".utf8)))
    }
}
