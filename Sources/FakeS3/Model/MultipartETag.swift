import Crypto
import Foundation

/// The ETag S3 gives an object completed from parts: the MD5 of the parts' binary MD5s joined in order,
/// in hex, then `-` and the number of parts (`"9b2cf535f27731c974343645a3985328-3"` once quoted). It is
/// not the MD5 of the object's bytes, and clients such as s3transfer rely on telling the two apart.
public enum MultipartETag {
    /// The ETag of an object whose parts, in order, have the hex MD5s `partMD5s` (32 hex digits each,
    /// quotes allowed). Nil when the list is empty or an entry is not a hex MD5.
    public static func of(partMD5s: [String]) -> String? {
        guard !partMD5s.isEmpty else { return nil }
        var joined = [UInt8]()
        joined.reserveCapacity(16 * partMD5s.count)
        for md5 in partMD5s {
            guard let bytes = binary(md5.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else { return nil }
            joined += bytes
        }
        return HashingFileWriter.hex(Insecure.MD5.hash(data: joined)) + "-\(partMD5s.count)"
    }

    /// The 16 bytes of a 32-digit hex MD5.
    private static func binary(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 32 else { return nil }
        var bytes = [UInt8]()
        for index in stride(from: 0, to: 32, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
