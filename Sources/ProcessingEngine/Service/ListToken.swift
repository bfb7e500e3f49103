import Foundation
import JobStore
import SageMakerAPI

/// The NextToken of the List... operations: opaque to clients, it holds the offset of the next page
/// and a fingerprint of the filters, so a token replayed with other filters is refused.
enum ListToken {
    static func make(offset: Int, for query: JobListQuery) -> String {
        make(offset: offset, fingerprint: parts(query))
    }

    static func offset(from token: String, for query: JobListQuery) throws -> Int {
        try offset(from: token, fingerprint: parts(query))
    }

    /// A token for any listing, whose filters are `fingerprint`.
    static func make(offset: Int, fingerprint: [String]) -> String {
        Data("v1:\(offset):\(hash(fingerprint))".utf8).base64EncodedString()
    }

    static func offset(from token: String, fingerprint: [String]) throws -> Int {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = text.split(separator: ":")
        guard parts.count == 3, parts[0] == "v1", let offset = Int(parts[1]), offset >= 0,
              parts[2] == Substring(hash(fingerprint)) else { throw invalid }
        return offset
    }

    private static let invalid = AWSServiceError.validation("The NextToken is invalid or does not belong to this request.")

    private static func parts(_ q: JobListQuery) -> [String] {
        [
            q.creationTimeAfter.map { "\($0)" } ?? "", q.creationTimeBefore.map { "\($0)" } ?? "",
            q.lastModifiedTimeAfter.map { "\($0)" } ?? "", q.lastModifiedTimeBefore.map { "\($0)" } ?? "",
            q.kind.rawValue, q.nameContains ?? "", q.statusEquals?.rawValue ?? "", q.sortBy.rawValue, q.ascending ? "a" : "d",
        ]
    }

    private static func hash(_ parts: [String]) -> String {
        // FNV-1a: a stable fingerprint, not a secret.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1}").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
