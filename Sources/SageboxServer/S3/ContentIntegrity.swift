import Crypto
import FakeS3
import Foundation
import HTTPTypes

/// DeleteObjects' integrity rule, as S3 has it: the body must come with a Content-MD5 or an
/// `x-amz-checksum-*` (in a header, or announced as an aws-chunked trailer). Beside S3 parity it keeps
/// web pages out: a page's no-cors POST can carry neither header.
enum ContentIntegrity {
    static let checksumHeaders = ["x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme",
                                  "x-amz-checksum-sha1", "x-amz-checksum-sha256"]

    /// Throws S3's error when `headers` carry no integrity value for `body`, or a Content-MD5 that is
    /// not one or does not match. Checksums are not verified (sagebox verifies no signature either).
    static func check(_ body: Data, headers: HTTPFields, resource: String) throws(S3Error) {
        if let md5 = headers[named: "content-md5"] {
            guard let digest = Data(base64Encoded: md5), digest.count == Insecure.MD5.byteCount else {
                throw S3Error(code: "InvalidDigest", message: "The Content-MD5 you specified was invalid.",
                              httpStatus: 400, resource: resource)
            }
            guard Data(Insecure.MD5.hash(data: body)) == digest else {
                throw S3Error(code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.",
                              httpStatus: 400, resource: resource)
            }
            return
        }
        let trailer = headers[named: "x-amz-trailer"]?.lowercased() ?? ""
        guard checksumHeaders.contains(where: { headers[named: $0] != nil || trailer.contains($0) }) else {
            // S3's text before checksums could stand in for the MD5 (aws/aws-cli#400, aws/aws-sdk-js#33).
            throw S3Error.invalidRequest("Missing required header for this request: Content-MD5", resource: resource)
        }
    }
}
