import Foundation
import HTTPTypes

/// Decodes the `aws-chunked` framing botocore (1.36+) puts around PutObject and UploadPart bodies,
/// incrementally, so an upload streams to disk without ever being whole in memory.
///
/// Both variants are accepted: `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
/// (`hex CRLF data CRLF … 0 CRLF trailer-lines CRLF`) and the signed
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` (`hex;chunk-signature=… CRLF data CRLF …`).
/// Signatures and checksums are not verified: sagebox accepts any credentials.
struct AWSChunkedDecoder: Sendable {
    /// The framing is broken or the body ended inside it.
    struct Malformed: Error, Sendable, CustomStringConvertible {
        let description: String
    }

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

    init() {}

    /// A decoder when the request's headers announce the aws-chunked framing, else nil.
    static func forRequest(_ headers: HTTPFields) -> AWSChunkedDecoder? {
        let encoding = headers[named: "content-encoding"]?.lowercased() ?? ""
        let sha = headers[named: "x-amz-content-sha256"] ?? ""
        if encoding.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "aws-chunked" })
            || sha.hasPrefix("STREAMING-") {
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
                state = size == 0 ? .trailer : .chunkData(remaining: size)
            case let .chunkData(remaining):
                let take = min(remaining, bytes.count - index)
                try emit(bytes[index..<(index + take)])
                decodedCount += Int64(take)
                index += take
                state = remaining == take ? .chunkEnd : .chunkData(remaining: remaining - take)
            case .chunkEnd:
                guard let rest = try takeLine(bytes, &index) else { return }
                guard rest.isEmpty else { throw Malformed(description: "A chunk is longer than its declared size.") }
                state = .chunkHeader
            case .trailer:
                guard let field = try takeLine(bytes, &index) else { return }
                if field.isEmpty {
                    state = .done
                } else if let colon = field.firstIndex(of: UInt8(ascii: ":")) {
                    let name = String(decoding: field[..<colon], as: UTF8.self).lowercased()
                    trailers[name] = String(decoding: field[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                }
            case .done:
                // Anything after the final CRLF is ignored, as S3 does.
                return
            }
        }
    }

    /// Checks that the body ended at the end of the framing.
    func finish() throws {
        // Some clients omit the final empty line when there is no trailer.
        guard state == .done || (state == .trailer && line.isEmpty) else {
            throw Malformed(description: "The request body ended inside the aws-chunked framing.")
        }
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
