/// A single `Range: bytes=…` request, resolved against an object's size.
struct ByteRange: Sendable, Equatable {
    /// The first byte served.
    let first: Int64
    /// The last byte served (inclusive).
    let last: Int64

    var length: Int64 { last - first + 1 }

    /// The `Content-Range` header value.
    func contentRange(size: Int64) -> String { "bytes \(first)-\(last)/\(size)" }

    /// The outcome of reading a Range header.
    enum Resolution: Equatable {
        /// No usable range: serve the whole object (a malformed or multi-range header is ignored, as
        /// S3 does).
        case whole
        case partial(ByteRange)
        /// A well-formed range that starts past the end: 416 InvalidRange.
        case unsatisfiable
    }

    static func resolve(_ header: String?, size: Int64) -> Resolution {
        guard let header, header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let startText = spec[..<dash], endText = spec[spec.index(after: dash)...]
        if startText.isEmpty {
            // Suffix range: the last N bytes.
            guard let count = Int64(endText) else { return .whole }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .partial(ByteRange(first: max(0, size - count), last: size - 1))
        }
        guard let start = Int64(startText) else { return .whole }
        // An open range (`bytes=N-`) past the end is unsatisfiable, not a whole read: its end is the
        // object's, which lies before the start.
        if endText.isEmpty { return start < size ? .partial(ByteRange(first: start, last: size - 1)) : .unsatisfiable }
        guard let end = Int64(endText), end >= start else { return .whole }
        guard start < size else { return .unsatisfiable }
        return .partial(ByteRange(first: start, last: min(end, size - 1)))
    }
}
