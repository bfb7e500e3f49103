/// S3's key order: UTF-8 bytes compared one by one (the same as SQLite's BINARY collation). Swift's
/// own String comparison follows Unicode canonical equivalence, so keys are never compared with it.
enum KeyOrder {
    /// Whether `key` begins with the bytes of `prefix`.
    static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
        key.utf8.starts(with: prefix.utf8)
    }

    /// Whether `a` sorts before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The smallest string greater than every string that starts with `prefix` (its last scalar
    /// incremented), or nil when there is none. Listing jumps there to skip a rolled-up common prefix.
    static func successor(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var value = last.value + 1
            if (0xD800...0xDFFF).contains(value) { value = 0xE000 }
            if let next = Unicode.Scalar(value) {
                var result = String.UnicodeScalarView()
                result.append(contentsOf: scalars)
                result.append(next)
                return String(result)
            }
        }
        return nil
    }

    /// The common prefix `key` rolls up into: `prefix` plus the key's bytes up to and including the
    /// first `delimiter` after `prefix`, or nil when the rest of the key has no delimiter.
    static func commonPrefix(of key: String, prefix: String, delimiter: String) -> String? {
        let bytes = Array(key.utf8)
        let delimiterBytes = Array(delimiter.utf8)
        guard !delimiterBytes.isEmpty else { return nil }
        var index = prefix.utf8.count
        while index + delimiterBytes.count <= bytes.count {
            if bytes[index..<(index + delimiterBytes.count)].elementsEqual(delimiterBytes) {
                // The delimiter is valid UTF-8, so a match ends on a scalar boundary.
                return String(decoding: bytes[..<(index + delimiterBytes.count)], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}
