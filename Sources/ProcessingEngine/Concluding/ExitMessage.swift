import Foundation

/// ExitMessage: what the instances wrote to `/opt/ml/output/message`, in host order, cut to 1,024 bytes.
enum ExitMessage {
    enum Outcome: Equatable {
        case none
        case message(String)
        /// A file that is not UTF-8 fails the job with a ClientError (spec §4).
        case notUTF8(host: String)
    }

    /// Bytes read from each host's file: one more than ExitMessage holds, so that a file cut inside a
    /// character is told from one that ends there. Never more, whatever the file's apparent size (a
    /// sparse 100 GB file costs 1,025 bytes), and only from a regular file reached without links.
    static let readLimit = 1025

    static func read(hosts: [String], folders: [InstanceFolder]) -> Outcome {
        var joined = Data()
        var any = false
        for (host, folder) in zip(hosts, folders) {
            let path = folder.containedPath(forContainerPath: "/opt/ml/output/message")
            guard let data = NoFollowFile.readPrefix(path, limit: readLimit) else { continue }
            guard isUTF8(data, cut: data.count == readLimit) else { return .notUTF8(host: host) }
            any = true
            joined.append(data)
        }
        guard any else { return .none }
        return .message(clip(joined))
    }

    /// A training job's `/opt/ml/output/failure`, of the first instance that wrote one: "SageMaker
    /// returns the first 1024 characters from this file as FailureReason" (spec §4). Read as ExitMessage
    /// is: at most a few KiB of a regular file reached without links.
    static func failureFile(folders: [InstanceFolder]) -> String? {
        for folder in folders {
            let path = folder.containedPath(forContainerPath: "/opt/ml/output/failure")
            guard let data = NoFollowFile.readPrefix(path, limit: 4 * 1024), !data.isEmpty else { continue }
            return String(String(decoding: data, as: UTF8.self).prefix(1024))
        }
        return nil
    }

    /// Whether `data` is UTF-8; a prefix `cut` from a longer file may end inside a character.
    static func isUTF8(_ data: Data, cut: Bool) -> Bool {
        for dropped in 0...(cut ? 3 : 0) where String(data: data.dropLast(dropped), encoding: .utf8) != nil {
            return true
        }
        return false
    }

    /// The first 1,024 bytes, shortened to the last whole UTF-8 character.
    static func clip(_ data: Data) -> String {
        var end = min(data.count, 1024)
        while end > 0, String(data: data.prefix(end), encoding: .utf8) == nil { end -= 1 }
        return String(decoding: data.prefix(end), as: UTF8.self)
    }
}
