import FakeS3
import SageMakerAPI

/// The objects one ProcessingS3Input names, each with the path it gets under the input's LocalPath.
struct InputObject: Equatable {
    var bucket: String
    var key: String
    var relativePath: String
}

enum InputObjects {
    /// Lists the input's objects: every key under an S3Prefix, or the keys a manifest names.
    /// Folder markers (keys ending in `/`) are not objects a job can read, and are left out.
    static func resolve(_ input: ProcessingS3Input, uri: S3URI, s3: S3Store) throws(StagingFailure) -> [InputObject] {
        let uriText = input.s3Uri ?? uri.description
        guard (try? s3.bucketExists(uri.bucket)) == true else { throw StagingFailure(reason: FailureReason.noObjects(uriText)) }
        let objects: [InputObject]
        if input.s3DataType == ProcessingS3DataType.manifestFile.rawValue {
            objects = try ManifestFile.objects(at: uri, s3: s3)
        } else {
            objects = try prefixObjects(uri: uri, s3: s3)
        }
        let readable = objects.filter { !$0.key.hasSuffix("/") }
        guard !readable.isEmpty else { throw StagingFailure(reason: FailureReason.noObjects(uriText)) }
        return readable
    }

    /// Keys match the prefix as strings; each key's local path follows `localPath(ofKey:prefix:)`.
    static func prefixObjects(uri: S3URI, s3: S3Store) throws(StagingFailure) -> [InputObject] {
        let keys: [String]
        do {
            keys = try s3.allKeys(bucket: uri.bucket, prefix: uri.key)
        } catch {
            throw StagingFailure(reason: FailureReason.clientError("Failed to download data. ListObjectsV2 failed for \(uri): \(error)"))
        }
        return keys.map { InputObject(bucket: uri.bucket, key: $0, relativePath: localPath(ofKey: $0, prefix: uri.key)) }
    }

    /// Where a key matched by `prefix` lands under LocalPath (spec §12 "S3Prefix", 2026-11-30):
    /// 1. a prefix ending in `/` (or empty) is cut off: `in/` + `in/x/a.csv` → `x/a.csv`;
    /// 2. a folder named without its slash is cut off with that slash: `in` + `in/x/a.csv` → `x/a.csv`
    ///    (the SDK uploads local inputs to such URIs);
    /// 3. a prefix naming the object itself gives its basename: `in/a.csv` + `in/a.csv` → `a.csv`;
    /// 4. a prefix ending inside a name keeps whole names, cutting at its last `/`: `data/part` +
    ///    `data/part-1.csv` → `part-1.csv`.
    /// Keys match by bytes, so the cut is made on UTF-8.
    static func localPath(ofKey key: String, prefix: String) -> String {
        precondition(key.utf8.starts(with: prefix.utf8), "keys handed here start with the prefix")
        let rest = key.utf8.dropFirst(prefix.utf8.count)
        if prefix.isEmpty || prefix.utf8.last == UInt8(ascii: "/") { return String(decoding: rest, as: UTF8.self) }
        if rest.first == UInt8(ascii: "/") { return String(decoding: rest.dropFirst(), as: UTF8.self) }
        let slash = prefix.utf8.lastIndex(of: UInt8(ascii: "/"))
        let name = slash.map { key.utf8[key.utf8.index(after: $0)...] } ?? key.utf8[...]
        return String(decoding: name, as: UTF8.self)
    }

    /// ShardedByS3Key: keys in byte order, key i to host `(i mod hosts) + 1` (spec §12).
    static func shard(_ objects: [InputObject], hostIndex: Int, hostCount: Int) -> [InputObject] {
        objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .enumerated().filter { $0.offset % hostCount == hostIndex }.map(\.element)
    }
}
