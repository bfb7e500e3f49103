import Foundation

/// The tokens of GetLogEvents: `f/<id>` reads forward after event `id`, `b/<id>` reads backward
/// before it. Ids are the job store's row ids, zero-padded so tokens compare as text too.
enum LogsToken: Equatable {
    case forward(after: Int64)
    case backward(before: Int64)

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]), id >= 0 else { return nil }
        switch parts[0] {
        case "f": self = .forward(after: id)
        case "b": self = .backward(before: id)
        default: return nil
        }
    }

    var text: String {
        switch self {
        case let .forward(id): "f/" + String(format: "%020lld", id)
        case let .backward(id): "b/" + String(format: "%020lld", id)
        }
    }
}
