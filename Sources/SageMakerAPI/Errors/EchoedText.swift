/// Request values echoed into error bodies, made safe to echo: a 1 MiB name must not give a 4 MiB
/// answer, and a NUL must not make an XML error document unparseable (XML 1.0 cannot carry C0 controls
/// other than tab and line ends, not even as character references).
public enum EchoedText {
    /// Characters kept of one echoed value: a whole S3 resource (`/bucket/` + a 1,024-byte key) fits.
    public static let maximumLength = 1_100
    /// Characters kept of a whole error message, which may hold several values (a ValidationException
    /// lists every broken constraint).
    public static let maximumMessageLength = 16 * 1_024

    /// `text` cut to `limit` characters (ending in `...` when cut), with control characters other than
    /// tab, CR and LF written as `%XX`, as in a URL.
    public static func safe(_ text: String, limit: Int = maximumLength) -> String {
        let needsEscape = text.unicodeScalars.contains(where: isControl)
        guard needsEscape || text.unicodeScalars.count > limit else { return text }
        var result = ""
        var kept = 0
        for scalar in text.unicodeScalars {
            if kept == limit { return result + "..." }
            if isControl(scalar) {
                result += "%" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
            kept += 1
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
