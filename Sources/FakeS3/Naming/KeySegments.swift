/// Splits keys into `/`-separated segments by bytes. Keys are compared and cut as UTF-8 bytes, never as
/// Swift Characters: a `/` followed by a combining mark is one Character but still a path separator.
enum KeySegments {
    /// The segments of `key`, empty ones included (`a//b` has three).
    static func split(_ key: String) -> [ArraySlice<UInt8>] {
        Array(key.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    }
}

extension KeySegments {
    /// The segments of `key` as strings (cutting valid UTF-8 at an ASCII byte leaves valid UTF-8).
    static func strings(_ key: String) -> [String] {
        split(key).map { String(decoding: $0, as: UTF8.self) }
    }
}
