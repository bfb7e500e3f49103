/// An `s3://bucket/key-or-prefix` address, as ProcessingS3Input and ProcessingS3Output carry it.
public struct S3URI: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// The key or key prefix; empty for the whole bucket.
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket[/key]`. Returns nil for anything else (the `https://` form AWS also accepts
    /// names a real endpoint, which an offline emulator has no use for).
    public init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { return nil }
        self.bucket = String(bucket)
        let afterBucket = rest.dropFirst(bucket.count)  // "" or "/key"
        self.key = afterBucket.isEmpty ? "" : String(afterBucket.dropFirst())
    }

    /// The key of `relativePath` under this prefix, with exactly one `/` between them.
    public func appending(_ relativePath: String) -> S3URI {
        if key.isEmpty || key.hasSuffix("/") { return S3URI(bucket: bucket, key: key + relativePath) }
        return S3URI(bucket: bucket, key: key + "/" + relativePath)
    }

    public var description: String { key.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(key)" }
}
