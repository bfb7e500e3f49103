import Foundation

/// Compiled model patterns, shared by all threads. The patterns use ICU syntax such as `\p{L}`,
/// so they go through NSRegularExpression; compiling is costly, hence the cache.
final class PatternCache: @unchecked Sendable {
    // @unchecked: `expressions` is only touched under `lock`; NSRegularExpression is immutable.
    static let shared = PatternCache()

    private let lock = NSLock()
    private var expressions: [String: NSRegularExpression] = [:]

    /// Whether the WHOLE of `value` matches `pattern` (the model's patterns carry no anchors).
    /// A pattern ICU cannot compile matches nothing, so the failure is visible rather than hidden.
    func wholeMatch(_ value: String, pattern: String) -> Bool {
        guard let expression = expression(for: pattern) else { return false }
        let range = NSRange(location: 0, length: value.utf16.count)
        return expression.firstMatch(in: value, options: [], range: range) != nil
    }

    /// The compiled expression, anchored at both ends with `\A` and `\z`, or nil if it cannot compile.
    func expression(for pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = expressions[pattern] { return cached }
        guard let compiled = try? NSRegularExpression(pattern: "\\A(?:\(pattern))\\z") else { return nil }
        expressions[pattern] = compiled
        return compiled
    }
}
