/// Walks a parsed request against the model's member types and names the first member whose
/// JSON type is wrong. Members are visited in sorted order so the message is deterministic.
enum WireTypeChecker {
    /// A `SerializationException` message for the first mismatch, or nil when every type fits.
    static func firstMismatch(in value: JSONValue, expected: WireType, at path: ValidationPath) -> String? {
        switch (expected, value) {
        case (_, .null):
            // A null member counts as absent; validation reports it if it is required.
            return nil
        case (.string, .string), (.boolean, .bool), (.integer, .integer),
             (.double, .integer), (.double, .number), (.timestamp, .integer), (.timestamp, .number):
            return nil
        case (.list(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                if case .null = item { return message(path.element(index), expected: element, found: item) }
                if let mismatch = firstMismatch(in: item, expected: element, at: path.element(index)) {
                    return mismatch
                }
            }
            return nil
        case (.map(let valueType), .object(let entries)):
            for key in entries.keys.sorted() {
                let entry = entries[key]!
                if case .null = entry { return message(path.member(key), expected: valueType, found: entry) }
                if let mismatch = firstMismatch(in: entry, expected: valueType, at: path.member(key)) {
                    return mismatch
                }
            }
            return nil
        case (.structure(let structure), .object(let members)):
            let types = structure.wireMembers
            for name in members.keys.sorted() {
                guard let memberType = types[name] else { continue }  // unknown members are ignored
                if let mismatch = firstMismatch(in: members[name]!, expected: memberType,
                                                at: path.member(ValidationPath.memberName(name))) {
                    return mismatch
                }
            }
            return nil
        default:
            return message(path, expected: expected, found: value)
        }
    }

    private static func message(_ path: ValidationPath, expected: WireType, found: JSONValue) -> String {
        if path.isRoot {
            return "The request body must be a JSON object, but it is \(found.wireDescription)."
        }
        return "Cannot deserialize member '\(path)': expected \(expected.expectation), "
            + "but the request has \(found.wireDescription)."
    }
}

extension JSONValue {
    /// How a deserialization message names this value's JSON type, with the value for scalars.
    fileprivate var wireDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "the boolean \(value)"
        case .integer(let value): "the number \(value)"
        case .number(let value): "the number \(value)"
        case .string(let value): "the string \"\(value)\""
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// Turns scalars into text where the model wants a string (see `SageMakerJSON.scalarsAsText`).
enum WireTypeCoercion {
    static func scalarsAsText(in value: JSONValue, expected: WireType, text: (JSONValue) -> String) -> JSONValue {
        switch (expected, value) {
        case (.string, .integer), (.string, .number), (.string, .bool):
            return .string(text(value))
        case (.list(let element), .array(let items)):
            return .array(items.map { scalarsAsText(in: $0, expected: element, text: text) })
        case (.map(let valueType), .object(let entries)):
            return .object(entries.mapValues { scalarsAsText(in: $0, expected: valueType, text: text) })
        case (.structure(let structure), .object(let members)):
            let types = structure.wireMembers
            return .object(Dictionary(uniqueKeysWithValues: members.map { name, member in
                (name, types[name].map { scalarsAsText(in: member, expected: $0, text: text) } ?? member)
            }))
        default:
            return value
        }
    }
}
