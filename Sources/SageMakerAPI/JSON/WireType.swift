/// The JSON type the SageMaker model expects for a member, used to check a request's member types
/// before decoding it. The generator emits one table of these per structure.
indirect enum WireType: Sendable {
    case string
    case integer
    case boolean
    case double
    /// Epoch seconds as a JSON number.
    case timestamp
    case list(WireType)
    /// A JSON object with string keys and values of one type.
    case map(WireType)
    case structure(any WireStructure.Type)

    /// How a message names the expected type.
    var expectation: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .double: "a number"
        case .timestamp: "a timestamp (a number of epoch seconds)"
        case .list: "a list"
        case .map: "an object (a map)"
        case .structure: "an object"
        }
    }
}

/// A generated structure that knows the wire type of each member, keyed by wire (PascalCase) name.
protocol WireStructure: SendableMetatype {
    static var wireMembers: [String: WireType] { get }
}
