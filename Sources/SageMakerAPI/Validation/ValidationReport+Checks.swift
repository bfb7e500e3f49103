/// The constraint checks the generated `collectFailures` methods call, one per kind of shape.
/// A missing member is only reported when required; a present one is checked in the order
/// length, pattern, enum (AWS reports a value that breaks two constraints as two items).
extension ValidationReport {
    /// Reports a missing required member; returns the value when present.
    @discardableResult
    mutating func checkPresence<Value>(_ value: Value?, at path: ValidationPath, required: Bool) -> Value? {
        if value == nil, required {
            add(ValidationFailure(value: nil, path: path, constraint: "Member must not be null"))
        }
        return value
    }

    /// Checks a string or enum member.
    mutating func checkString(_ value: String?, at path: ValidationPath, _ rules: StringShapeRules,
                              required: Bool = false) {
        guard let value = checkPresence(value, at: path, required: required) else { return }
        for constraint in Self.brokenConstraints(of: value, rules) {
            add(ValidationFailure(value: value, path: path, constraint: constraint))
        }
    }

    /// Checks an integer or long member against its range.
    mutating func checkNumber(_ value: Int?, at path: ValidationPath, _ rules: NumberShapeRules,
                              required: Bool = false) {
        guard let value = checkPresence(value, at: path, required: required) else { return }
        if let min = rules.min, value < min {
            add(ValidationFailure(value: String(value), path: path,
                                  constraint: "Member must have value greater than or equal to \(min)"))
        }
        if let max = rules.max, value > max {
            add(ValidationFailure(value: String(value), path: path,
                                  constraint: "Member must have value less than or equal to \(max)"))
        }
    }

    /// Checks a nested structure: its presence, then its own members.
    mutating func checkStructure<Structure: ShapeValidatable>(_ value: Structure?, at path: ValidationPath,
                                                              required: Bool = false) {
        checkPresence(value, at: path, required: required)?.collectFailures(at: path, into: &self)
    }

    /// Checks a list's size, then each element with `element` (given the element's path).
    mutating func checkList<Element>(_ value: [Element]?, at path: ValidationPath, _ rules: SizeShapeRules,
                                     required: Bool = false,
                                     element: (Element, ValidationPath, inout ValidationReport) -> Void) {
        guard let list = checkPresence(value, at: path, required: required) else { return }
        checkSize(list.count, of: list, at: path, rules)
        for (index, item) in list.enumerated() {
            element(item, path.element(index), &self)
        }
    }

    /// Checks a map's size, then its keys and values, each as one item listing the broken
    /// constraints, in the style AWS uses for maps: `Map keys must satisfy constraint: [...]`.
    mutating func checkMap(_ value: [String: String]?, at path: ValidationPath, _ rules: SizeShapeRules,
                           required: Bool = false, keys: StringShapeRules, values: StringShapeRules) {
        guard let map = checkPresence(value, at: path, required: required) else { return }
        checkSize(map.count, of: map, at: path, rules)
        let sortedKeys = map.keys.sorted()
        let keyFailures = Self.union(sortedKeys.map { Self.brokenConstraints(of: $0, keys) })
        let valueFailures = Self.union(sortedKeys.map { Self.brokenConstraints(of: map[$0]!, values) })
        let printed = ValidationValueDescription.describe(map)
        if !keyFailures.isEmpty {
            add(ValidationFailure(value: printed, path: path, constraint:
                "Map keys must satisfy constraint: [\(keyFailures.joined(separator: ", "))]"))
        }
        if !valueFailures.isEmpty {
            add(ValidationFailure(value: printed, path: path, constraint:
                "Map value must satisfy constraint: [\(valueFailures.joined(separator: ", "))]"))
        }
    }

    private mutating func checkSize(_ count: Int, of value: Any, at path: ValidationPath, _ rules: SizeShapeRules) {
        if let min = rules.min, count < min {
            add(ValidationFailure(value: ValidationValueDescription.describe(value), path: path,
                                  constraint: "Member must have length greater than or equal to \(min)"))
        }
        if let max = rules.max, count > max {
            add(ValidationFailure(value: ValidationValueDescription.describe(value), path: path,
                                  constraint: "Member must have length less than or equal to \(max)"))
        }
    }

    /// The constraint texts `value` breaks, in AWS's order: length, pattern, enum.
    static func brokenConstraints(of value: String, _ rules: StringShapeRules) -> [String] {
        var broken: [String] = []
        let length = value.utf16.count  // AWS counts Java chars, i.e. UTF-16 code units
        if let min = rules.min, length < min {
            broken.append("Member must have length greater than or equal to \(min)")
        }
        if let max = rules.max, length > max {
            broken.append("Member must have length less than or equal to \(max)")
        }
        if let pattern = rules.pattern, !PatternCache.shared.wholeMatch(value, pattern: pattern) {
            // The model dropped the leading anchor that AWS prints.
            broken.append("Member must satisfy regular expression pattern: ^\(pattern)")
        }
        if let allowed = rules.enumValues, !allowed.contains(value) {
            broken.append("Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
        return broken
    }

    private static func union(_ lists: [[String]]) -> [String] {
        var seen: Set<String> = []
        return lists.joined().filter { seen.insert($0).inserted }
    }
}
