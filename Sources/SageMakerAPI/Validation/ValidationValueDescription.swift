import Foundation

/// How a value is printed inside `Value '…'`: strings as they are, numbers plainly, lists as
/// `[a, b]` and maps as `{k=v}` (Java's collection style, which AWS's messages show), and
/// structures as compact JSON.
enum ValidationValueDescription {
    static func describe(_ value: Any) -> String {
        switch value {
        case let string as String:
            return string
        case let bool as Bool:
            return String(bool)
        case let int as Int:
            return String(int)
        case let double as Double:
            return String(double)
        case let date as Date:
            return String(SageMakerJSON.epochSecondsWithMilliseconds(date))
        case let list as [Any]:
            return "[" + list.map(describe).joined(separator: ", ") + "]"
        case let map as [String: Any]:
            let entries = map.keys.sorted().map { "\($0)=\(describe(map[$0]!))" }
            return "{" + entries.joined(separator: ", ") + "}"
        case let encodable as any Encodable:
            let data = try? SageMakerJSON.encoder.encode(encodable)
            return data.map { String(decoding: $0, as: UTF8.self) } ?? String(describing: value)
        default:
            return String(describing: value)
        }
    }
}
