/// The object keys sagebox accepts. S3 itself takes any UTF-8 up to 1,024 bytes; sagebox stores each
/// object as a file under its bucket folder, so it also refuses keys that could name a path outside
/// that folder (a `..` segment, a leading `/`) or that no file system path can hold (NUL).
public enum ObjectKeyRules {
    /// S3's limit on a key's length, in bytes of UTF-8.
    public static let maximumKeyBytes = 1024

    /// Throws KeyTooLongError or InvalidArgument unless `key` is acceptable in `bucket`.
    public static func validate(_ key: String, bucket: String) throws(S3Error) {
        let resource = "/\(bucket)/\(key)"
        if key.isEmpty {
            throw S3Error.invalidArgument("Object key must not be empty.", resource: resource)
        }
        if key.utf8.count > maximumKeyBytes {
            throw S3Error.keyTooLong(bucket: bucket, key: key)
        }
        if key.utf8.contains(0) {
            throw S3Error.invalidArgument(
                "Object key must not contain a NUL character: sagebox stores objects as files.", resource: resource)
        }
        // Checked on bytes: Character-based String APIs would see "/\u{301}" as one character, not a "/".
        let segments = KeySegments.split(key)
        if key.utf8.first == UInt8(ascii: "/") {
            throw S3Error.invalidArgument(
                "Object key must not start with '/': sagebox refuses keys that could name a path outside the bucket.",
                resource: resource)
        }
        if segments.contains(where: { $0.elementsEqual("..".utf8) }) {
            throw S3Error.invalidArgument(
                "Object key must not contain a '..' segment: sagebox refuses keys that could name a path outside the bucket.",
                resource: resource)
        }
    }

    /// Decodes a key that arrives as bytes (e.g. from a URL) and validates it; invalid UTF-8 is refused
    /// with InvalidArgument instead of being repaired into a different key.
    public static func key(fromUTF8 bytes: some Collection<UInt8>, bucket: String) throws(S3Error) -> String {
        guard let key = String(validating: bytes, as: UTF8.self) else {
            throw S3Error.invalidArgument("Object key is not valid UTF-8.", resource: "/\(bucket)")
        }
        try validate(key, bucket: bucket)
        return key
    }
}
