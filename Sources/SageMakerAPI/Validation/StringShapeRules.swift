/// The constraints of a string shape in the SageMaker model.
public struct StringShapeRules: Sendable {
    /// Minimum length in UTF-16 code units (AWS counts Java chars).
    public var min: Int?
    /// Maximum length in UTF-16 code units.
    public var max: Int?
    /// The model's pattern without anchors; the whole string must match it. Nil for none or `.*`.
    public var pattern: String?
    /// The enum values in model order, or nil for a free string.
    public var enumValues: [String]?

    /// Creates the rules of one string shape.
    public init(min: Int? = nil, max: Int? = nil, pattern: String? = nil, enumValues: [String]? = nil) {
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumValues = enumValues
    }
}
