/// The bucket and key a S3 REST request names, from a path-style URL (`/bucket/key`) or a
/// virtual-host-style one (`Host: bucket.localhost:9000`, path `/key`).
struct S3Address: Sendable, Equatable {
    /// Empty for the service itself (ListBuckets).
    var bucket: String
    /// Empty for a bucket-level request.
    var key: String

    /// `/bucket` or `/bucket/key`, as S3 names the resource in error bodies.
    var resource: String { key.isEmpty ? "/\(bucket)" : "/\(bucket)/\(key)" }

    /// Parses the raw (still percent-encoded) path. `serverHost` is the name the server was started
    /// with: a Host header of the form `<bucket>.<serverHost>` or `<bucket>.localhost` is virtual-host
    /// style. Returns nil when the path is not valid percent-encoded UTF-8.
    init?(rawPath: String, host: String?, serverHost: String) {
        let path = rawPath.hasPrefix("/") ? String(rawPath.dropFirst()) : rawPath
        if let bucket = Self.virtualHostBucket(host: host, serverHost: serverHost) {
            guard let key = PercentEncoding.decode(path) else { return nil }
            self.bucket = bucket
            self.key = key
            return
        }
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = PercentEncoding.decode(String(parts.first ?? "")) else { return nil }
        guard let key = parts.count > 1 ? PercentEncoding.decode(String(parts[1])) : "" else { return nil }
        self.bucket = bucket
        self.key = key
    }

    init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    private static func virtualHostBucket(host: String?, serverHost: String) -> String? {
        guard var name = host?.lowercased() else { return nil }
        if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]") { name = String(name[..<colon]) }
        for suffix in Set([".localhost", "." + serverHost.lowercased()]) where name.hasSuffix(suffix) {
            let bucket = String(name.dropLast(suffix.count))
            if !bucket.isEmpty, !bucket.allSatisfy({ $0.isNumber || $0 == "." }) { return bucket }
        }
        return nil
    }
}
