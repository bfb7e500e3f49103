import Foundation

/// ExitMessage: what the instances wrote to `/opt/ml/output/message`, in host order, cut to 1,024 bytes.
enum ExitMessage {
    enum Outcome: Equatable {
        case none
        case message(String)
        /// A file that is not UTF-8 fails the job with a ClientError (spec §4).
        case notUTF8(host: String)
    }

    static func read(hosts: [String], folders: [InstanceFolder]) -> Outcome {
        var joined = Data()
        var any = false
        for (host, folder) in zip(hosts, folders) {
            guard let data = try? Data(contentsOf: folder.optML.appending(path: "output/message")) else { continue }
            guard String(data: data, encoding: .utf8) != nil else { return .notUTF8(host: host) }
            any = true
            joined.append(data)
        }
        guard any else { return .none }
        return .message(clip(joined))
    }

    /// The first 1,024 bytes, shortened to the last whole UTF-8 character.
    static func clip(_ data: Data) -> String {
        var end = min(data.count, 1024)
        while end > 0, String(data: data.prefix(end), encoding: .utf8) == nil { end -= 1 }
        return String(decoding: data.prefix(end), as: UTF8.self)
    }
}
