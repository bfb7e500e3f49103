/// S3's naming rules for general purpose buckets. Every store call checks the name first, so no bucket
/// name can reach outside `<root>/buckets/` (a valid name has no `/` and is never `.` or `..`).
public enum BucketNameRules {
    private static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    private static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    /// Throws InvalidBucketName, with the broken rule as `detail`, unless `name` is a valid bucket name.
    public static func validate(_ name: String) throws(S3Error) {
        if let rule = brokenRule(name) {
            throw S3Error.invalidBucketName(name, detail: rule)
        }
    }

    /// The rule `name` breaks, or nil when it is valid.
    static func brokenRule(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else {
            return "Bucket names must be between 3 (min) and 63 (max) characters long."
        }
        guard bytes.allSatisfy({ isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else {
            return "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-)."
        }
        guard isLowercaseLetterOrDigit(bytes[0]), isLowercaseLetterOrDigit(bytes[bytes.count - 1]) else {
            return "Bucket names must begin and end with a letter or number."
        }
        if name.contains("..") {
            return "Bucket names must not contain two adjacent periods."
        }
        if looksLikeIPAddress(name) {
            return "Bucket names must not be formatted as an IP address (for example, 192.168.5.4)."
        }
        if let prefix = reservedPrefixes.first(where: { name.hasPrefix($0) }) {
            return "Bucket names must not start with the prefix '\(prefix)'."
        }
        if let suffix = reservedSuffixes.first(where: { name.hasSuffix($0) }) {
            return "Bucket names must not end with the suffix '\(suffix)'."
        }
        return nil
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Four dot-separated groups of digits, as S3 (and the SDKs) treat it.
    private static func looksLikeIPAddress(_ name: String) -> Bool {
        let groups = name.split(separator: ".", omittingEmptySubsequences: false)
        return groups.count == 4 && groups.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
