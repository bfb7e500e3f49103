/// The size limits of a list or map shape in the SageMaker model (reported as "length").
public struct SizeShapeRules: Sendable {
    /// Fewest allowed entries.
    public var min: Int?
    /// Most allowed entries.
    public var max: Int?

    /// Creates the rules of one list or map shape.
    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }
}
