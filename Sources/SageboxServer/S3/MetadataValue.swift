import Foundation

/// User metadata values as S3 carries them in headers: "Values of such headers are character decoded as
/// per RFC 2047 before storing and encoded as per RFC 2047 to make them mail-safe before returning. If the
/// string contains only US-ASCII characters, it is presented as is." (Amazon S3 User Guide, "Working with
/// object metadata"). A value sent as raw UTF-8 bytes (boto3 sends a header it is given that way) is
/// stored as that text; any value that is not printable US-ASCII goes back as one `=?UTF-8?B?...?=` word.
enum MetadataValue {
    /// The value as a header carries it back.
    static func mailSafe(_ value: String) -> String {
        if value.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 }) { return value }
        return "=?UTF-8?B?\(Data(value.utf8).base64EncodedString())?="
    }

    /// The value with its RFC 2047 encoded words (`=?charset?B|Q?text?=`, in UTF-8, US-ASCII or
    /// ISO-8859-1) decoded; whitespace between two adjacent words is dropped, as RFC 2047 says. A word
    /// that does not decode is kept as it is.
    static func decoded(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let words = value.matches(of: /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/)
        guard !words.isEmpty else { return value }
        var result = ""
        var rest = value.startIndex
        var previousWasWord = false
        for word in words {
            let between = value[rest..<word.range.lowerBound]
            if !(previousWasWord && between.allSatisfy(\.isWhitespace)) { result += between }
            if let text = decodeWord(charset: String(word.1), encoding: String(word.2), text: String(word.3)) {
                result += text
                previousWasWord = true
            } else {
                result += value[word.range]
                previousWasWord = false
            }
            rest = word.range.upperBound
        }
        return result + value[rest...]
    }

    private static func decodeWord(charset: String, encoding: String, text: String) -> String? {
        let bytes: Data?
        if encoding.uppercased() == "B" {
            bytes = Data(base64Encoded: text)
        } else {
            bytes = quotedPrintable(text)
        }
        guard let bytes else { return nil }
        switch charset.lowercased() {
        case "utf-8", "utf8", "us-ascii": return String(data: bytes, encoding: .utf8)
        case "iso-8859-1", "latin1": return String(data: bytes, encoding: .isoLatin1)
        default: return nil
        }
    }

    /// RFC 2047's "Q" encoding: `_` is a space, `=XX` a byte in hex.
    private static func quotedPrintable(_ text: String) -> Data? {
        var bytes = Data()
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "_"): bytes.append(0x20)
            case UInt8(ascii: "="):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return bytes
    }
}
