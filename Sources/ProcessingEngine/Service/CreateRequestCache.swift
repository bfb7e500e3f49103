import Foundation
import SageMakerAPI
import Synchronization

/// The decoded Create...Job requests of recent jobs, so that Describe (polled by every waiter)
/// does not decode the same stored JSON again on each call: decoding cost more than the rest of it.
///
/// A job's request never changes, but the cache is per process and ids are per root (two roots in
/// one process both have a job 1), so an entry is used only when its stored JSON equals the record's
/// (a memory compare, far cheaper than decoding). Bounded: when full, the cache starts over.
final class CreateRequestCache<Request: Decodable & Sendable>: Sendable {
    private struct Entry {
        let json: String
        let request: Request
    }

    private let entries = Mutex([Int64: Entry]())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The decoded request of the job with `jobId` whose stored JSON is `json`.
    func request(jobId: Int64?, json: String) throws -> Request {
        guard let jobId else { return try Self.decode(json) }
        if let hit = entries.withLock({ $0[jobId] }), hit.json == json { return hit.request }
        let request = try Self.decode(json)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[jobId] = Entry(json: json, request: request)
        }
        return request
    }

    private static func decode(_ json: String) throws -> Request {
        try SageMakerJSON.decoder.decode(Request.self, from: Data(json.utf8))
    }
}
