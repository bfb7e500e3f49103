import Foundation

/// A parsed JSON value, kept only to check member types before decoding (so that a wrong type
/// is reported with its member path, which Foundation's decoder does not always give).
indirect enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case list([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Every failed attempt throws (and builds) a DecodingError, so the common kinds of a request
        // go first: objects and strings, which no other attempt could take. Among scalars order
        // matters: Bool before numbers, Int before Double (2.0 counts as an integer).
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .list(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    /// How a message names this value's JSON type, with the value for scalars.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "the boolean \(value)"
        case .integer(let value): "the number \(value)"
        case .number(let value): "the number \(value)"
        case .string(let value): "the string \"\(value)\""
        case .list: "a list"
        case .object: "an object"
        }
    }
}
