import Crypto
import Foundation
import HTTPTypes

/// Decodes the `aws-chunked` framing botocore (1.36+) puts around PutObject and UploadPart bodies,
/// incrementally, so an upload streams to disk without ever being whole in memory.
///
/// Both variants are accepted: `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
/// (`hex CRLF data CRLF … 0 CRLF trailer-lines CRLF`) and the signed
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` (`hex;chunk-signature=… CRLF data CRLF …`).
/// Under `serve --credentials` the signed variant's chunk signatures (and trailer signature) are checked
/// as each chunk ends; trailer checksums are not verified.
struct AWSChunkedDecoder {
    /// The framing is broken or the body ended inside it.
    struct Malformed: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// A chunk's or the trailer's signature is missing or wrong.
    struct SignatureMismatch: Error, Sendable {}

    private enum State: Sendable, Equatable {
        case chunkHeader
        case chunkData(remaining: Int)
        case chunkEnd
        case trailer
        case done
    }

    private static let maximumLineLength = 8192

    private var state = State.chunkHeader
    private var line: [UInt8] = []
    /// Trailer fields seen after the last chunk (e.g. `x-amz-checksum-crc32`), names lowercased.
    private(set) var trailers: [String: String] = [:]
    /// Payload bytes emitted so far.
    private(set) var decodedCount: Int64 = 0
    /// The signature chain to check, when the body is signed chunk by chunk.
    private var signatures: ChunkSignatures?
    private let signedTrailer: Bool
    /// The current chunk's signature and the hash of its data so far.
    private var chunkSignature = ""
    private var chunkHash = SHA256()
    /// The trailer's lines as signed (`name:value\n`), and its signature.
    private var canonicalTrailer = ""
    private var trailerSignature: String?

    init(signatures: ChunkSignatures? = nil, signedTrailer: Bool = false) {
        self.signatures = signatures
        self.signedTrailer = signedTrailer
    }

    /// A decoder when the request's headers announce the aws-chunked framing, else nil.
    static func forRequest(_ headers: HTTPFields) -> AWSChunkedDecoder? {
        let encoding = headers[named: "content-encoding"]?.lowercased() ?? ""
        let sha = headers[named: "x-amz-content-sha256"] ?? ""
        if encoding.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "aws-chunked" })
            || sha.hasPrefix("STREAMING-") {
            if case let .chunkSigned(chain, trailer) = SignedPayload.current {
                return AWSChunkedDecoder(signatures: chain, signedTrailer: trailer)
            }
            return AWSChunkedDecoder()
        }
        return nil
    }

    /// Consumes the next bytes of the body, calling `emit` with each run of payload bytes.
    mutating func feed(_ bytes: [UInt8], emit: (ArraySlice<UInt8>) throws -> Void) throws {
        var index = 0
        while index < bytes.count {
            switch state {
            case .chunkHeader:
                guard let header = try takeLine(bytes, &index) else { return }
                let sizeText = header.split(separator: UInt8(ascii: ";"), maxSplits: 1).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                    throw Malformed(description: "Invalid chunk size line '\(String(decoding: header, as: UTF8.self))'.")
                }
                if signatures != nil {
                    chunkSignature = Self.chunkSignature(in: header)
                    chunkHash = SHA256()
                    if size == 0 { try verifyChunk() }
                }
                state = size == 0 ? .trailer : .chunkData(remaining: size)
            case let .chunkData(remaining):
                let take = min(remaining, bytes.count - index)
                if signatures != nil { chunkHash.update(data: bytes[index..<(index + take)]) }
                try emit(bytes[index..<(index + take)])
                decodedCount += Int64(take)
                index += take
                state = remaining == take ? .chunkEnd : .chunkData(remaining: remaining - take)
            case .chunkEnd:
                guard let rest = try takeLine(bytes, &index) else { return }
                guard rest.isEmpty else { throw Malformed(description: "A chunk is longer than its declared size.") }
                if signatures != nil { try verifyChunk() }
                state = .chunkHeader
            case .trailer:
                guard let field = try takeLine(bytes, &index) else { return }
                if field.isEmpty {
                    try verifyTrailer()
                    state = .done
                } else if let colon = field.firstIndex(of: UInt8(ascii: ":")) {
                    let name = String(decoding: field[..<colon], as: UTF8.self).lowercased()
                    let value = String(decoding: field[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    if name == "x-amz-trailer-signature" {
                        trailerSignature = value
                    } else {
                        trailers[name] = value
                        canonicalTrailer += "\(name):\(value)\n"
                    }
                }
            case .done:
                // Anything after the final CRLF is ignored, as S3 does.
                return
            }
        }
    }

    /// Checks that the body ended at the end of the framing.
    mutating func finish() throws {
        // Some clients omit the final empty line when there is no trailer.
        guard state == .done || (state == .trailer && line.isEmpty) else {
            throw Malformed(description: "The request body ended inside the aws-chunked framing.")
        }
        if state == .trailer { try verifyTrailer() }
    }

    /// `chunk-signature=HEX` from a chunk's header line, or "" when it has none.
    private static func chunkSignature(in header: [UInt8]) -> String {
        let text = String(decoding: header, as: UTF8.self)
        guard let range = text.range(of: "chunk-signature=") else { return "" }
        return String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }

    private mutating func verifyChunk() throws {
        let dataHash = Hex.string(chunkHash.finalize())
        guard signatures!.verifyChunk(dataHash: dataHash, signature: chunkSignature) else { throw SignatureMismatch() }
    }

    /// The -TRAILER variant signs its trailer; the plain one has none to sign.
    private mutating func verifyTrailer() throws {
        guard signatures != nil, signedTrailer, state != .done else { return }
        guard let signature = trailerSignature,
              signatures!.verifyTrailer(canonicalTrailer: canonicalTrailer, signature: signature) else { throw SignatureMismatch() }
    }

    /// Accumulates bytes up to CRLF; returns the line without it once complete, else nil.
    private mutating func takeLine(_ bytes: [UInt8], _ index: inout Int) throws -> [UInt8]? {
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\n") && line.last == UInt8(ascii: "\r") {
                let complete = Array(line.dropLast())
                line.removeAll(keepingCapacity: true)
                return complete
            }
            line.append(byte)
            if line.count > Self.maximumLineLength { throw Malformed(description: "An aws-chunked header line is too long.") }
        }
        return nil
    }
}
