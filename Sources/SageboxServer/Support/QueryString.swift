/// The parameters of a URL query or an `application/x-www-form-urlencoded` body, decoded.
///
/// Keys without `=` (S3's `?delete`, `?location`) are present with an empty value; `+` decodes to a
/// space, as in HTML forms (botocore always sends a space as `%20`, so nothing is lost).
struct QueryString: Sendable, Equatable {
    private(set) var pairs: [(String, String)] = []

    init(_ raw: Substring) {
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((key, value))
        }
    }

    init(_ raw: String) {
        self.init(Substring(raw))
    }

    /// The first value of `key`.
    subscript(key: String) -> String? {
        pairs.first { $0.0 == key }?.1
    }

    /// Whether the query has `key`, with or without a value.
    func has(_ key: String) -> Bool {
        pairs.contains { $0.0 == key }
    }

    static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0 == $1 }
    }

    /// Percent-decodes `text` (and `+` to a space); a malformed escape is kept as it is.
    static func decode(_ text: Substring) -> String {
        let plus = text.replacingOccurrences(of: "+", with: " ")
        return PercentEncoding.decode(plus) ?? plus
    }
}
