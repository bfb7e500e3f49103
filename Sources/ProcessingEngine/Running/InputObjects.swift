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

    /// Keys match the prefix as strings; a key's local path is what follows the prefix's last `/`
    /// (the whole key after a prefix that ends in `/`; the basename for a URI naming one object).
    static func prefixObjects(uri: S3URI, s3: S3Store) throws(StagingFailure) -> [InputObject] {
        let cut = uri.key.lastIndex(of: "/").map { uri.key.index(after: $0) } ?? uri.key.startIndex
        let keys: [String]
        do {
            keys = try s3.allKeys(bucket: uri.bucket, prefix: uri.key)
        } catch {
            throw StagingFailure(reason: FailureReason.clientError("Failed to download data. ListObjectsV2 failed for \(uri): \(error)"))
        }
        return keys.map { InputObject(bucket: uri.bucket, key: $0, relativePath: String($0[cut...])) }
    }

    /// ShardedByS3Key: keys in byte order, key i to host `(i mod hosts) + 1` (spec §12).
    static func shard(_ objects: [InputObject], hostIndex: Int, hostCount: Int) -> [InputObject] {
        objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .enumerated().filter { $0.offset % hostCount == hostIndex }.map(\.element)
    }
}
