import Testing
@testable import SageboxServer

/// The aws-chunked framing botocore 1.36+ wraps around PutObject bodies.
struct AWSChunkedDecoderTests {
    /// Feeds `body` in pieces of `step` bytes and returns the payload.
    func decode(_ body: String, step: Int) throws -> (String, AWSChunkedDecoder) {
        var decoder = AWSChunkedDecoder()
        var out: [UInt8] = []
        let bytes = Array(body.utf8)
        var index = 0
        while index < bytes.count {
            let piece = Array(bytes[index..<min(index + step, bytes.count)])
            try decoder.feed(piece) { out.append(contentsOf: $0) }
            index += step
        }
        try decoder.finish()
        return (String(decoding: out, as: UTF8.self), decoder)
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func unsignedWithTrailer(step: Int) throws {
        let body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
        let (payload, decoder) = try decode(body, step: step)
        #expect(payload == "hello world")
        #expect(decoder.decodedCount == 11)
        #expect(decoder.trailers["x-amz-checksum-crc32"] == "DUoRhQ==")
    }

    @Test(arguments: [1, 5, 64])
    func signedChunks(step: Int) throws {
        let signature = String(repeating: "a", count: 64)
        let body = "a;chunk-signature=\(signature)\r\n0123456789\r\n0;chunk-signature=\(signature)\r\n\r\n"
        #expect(try decode(body, step: step).0 == "0123456789")
    }

    @Test func truncatedBodyIsRefused() throws {
        var decoder = AWSChunkedDecoder()
        try decoder.feed(Array("5\r\nhel".utf8)) { _ in }
        #expect(throws: AWSChunkedDecoder.Malformed.self) { try decoder.finish() }
    }

    @Test func badSizeLineIsRefused() {
        var decoder = AWSChunkedDecoder()
        #expect(throws: AWSChunkedDecoder.Malformed.self) { try decoder.feed(Array("zz\r\n".utf8)) { _ in } }
    }

    @Test func chunkLongerThanDeclaredIsRefused() {
        var decoder = AWSChunkedDecoder()
        #expect(throws: AWSChunkedDecoder.Malformed.self) { try decoder.feed(Array("2\r\nabc\r\n".utf8)) { _ in } }
    }
}
