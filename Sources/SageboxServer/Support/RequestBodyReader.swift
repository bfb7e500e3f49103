import Crypto
import Foundation
import Hummingbird
import NIOHTTP1

/// Reads request bodies, removing the aws-chunked framing when the client used it: small ones (JSON,
/// form or XML request documents) into memory with `collect`, object data chunk by chunk with `stream`
/// (see `UploadedFile`). What goes wrong with the body itself is a `RequestBodyError`, which each
/// protocol answers with its own 400.
enum RequestBodyReader {
    /// The largest document body accepted in memory.
    static let limit = 16 * 1024 * 1024

    static func collect(_ request: Request) async throws -> Data {
        // Refused before reading when the length is declared: a 100 MiB body never reaches memory.
        if let declared = request.headers[named: "content-length"].flatMap(Int.init), declared > limit {
            throw RequestBodyError.tooLarge
        }
        var data = Data()
        try await stream(request) { bytes in
            data.append(contentsOf: bytes)
            if data.count > limit { throw RequestBodyError.tooLarge }
        }
        return data
    }

    /// Passes the body's payload bytes to `emit` as they arrive and returns their count. Errors thrown by
    /// `emit` pass through unchanged.
    @discardableResult
    static func stream(_ request: Request, emit: (ArraySlice<UInt8>) throws -> Void) async throws -> Int64 {
        var decoder = AWSChunkedDecoder.forRequest(request.headers)
        // The body's SHA-256 when x-amz-content-sha256 signed it (`serve --credentials`).
        var payloadHash: (expected: String, hasher: SHA256)?
        if case let .sha256(expected) = SignedPayload.current { payloadHash = (expected, SHA256()) }
        var count: Int64 = 0
        var iterator = request.body.makeAsyncIterator()
        do {
            while let buffer = try await next(&iterator) {
                let bytes = Array(buffer.readableBytesView)
                payloadHash?.hasher.update(data: bytes)
                if decoder != nil {
                    try decoder!.feed(bytes) { try emit($0); count += Int64($0.count) }
                } else {
                    try emit(bytes[...])
                    count += Int64(bytes.count)
                }
            }
            try decoder?.finish()
        } catch let error as AWSChunkedDecoder.Malformed {
            throw RequestBodyError.malformedFraming(error.description)
        } catch is AWSChunkedDecoder.SignatureMismatch {
            throw RequestBodyError.chunkSignatureMismatch
        }
        if let payloadHash, Hex.string(payloadHash.hasher.finalize()) != payloadHash.expected {
            throw RequestBodyError.contentSHA256Mismatch
        }
        let expected = request.headers[named: "x-amz-decoded-content-length"].flatMap { Int64($0) }
            ?? (decoder == nil ? request.headers[named: "content-length"].flatMap { Int64($0) } : nil)
        if let expected, expected != count { throw RequestBodyError.incomplete }
        return count
    }

    /// The next buffer of the body. NIO ends the body with an HTTPParserError when the chunked framing
    /// is broken or the connection closes inside the body; either is the client's fault, not the server's.
    private static func next(_ iterator: inout RequestBody.AsyncIterator) async throws(RequestBodyError) -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch let error as HTTPParserError where error != .invalidEOFState {
            throw .malformedFraming("\(error)")
        } catch {
            throw .incomplete
        }
    }
}

/// What can be wrong with a request body, whatever the service.
enum RequestBodyError: Error, Equatable {
    /// Over `RequestBodyReader.limit` (document bodies only).
    case tooLarge
    /// Shorter than its Content-Length (or x-amz-decoded-content-length), or cut off by the connection.
    case incomplete
    /// Broken chunked or aws-chunked framing.
    case malformedFraming(String)
    /// The body's SHA-256 is not the x-amz-content-sha256 its signature covers.
    case contentSHA256Mismatch
    /// An aws-chunked chunk's (or trailer's) signature is wrong.
    case chunkSignatureMismatch
}
