import Foundation
import Hummingbird

/// Reads a small request body (JSON, form or XML request documents) into memory, decoding the
/// aws-chunked framing when the client used it. Object data never goes through here: see
/// `UploadedFile`.
enum RequestBodyReader {
    /// The largest document body accepted in memory.
    static let limit = 16 * 1024 * 1024

    static func collect(_ request: Request) async throws -> Data {
        var decoder = AWSChunkedDecoder.forRequest(request.headers)
        var data = Data()
        for try await buffer in request.body {
            let bytes = Array(buffer.readableBytesView)
            if decoder != nil {
                try decoder!.feed(bytes) { data.append(contentsOf: $0) }
            } else {
                data.append(contentsOf: bytes)
            }
            if data.count > limit { throw BodyTooLarge() }
        }
        try decoder?.finish()
        return data
    }

    /// A document body over `limit`.
    struct BodyTooLarge: Error {}
}
