/// The range of an integer or long shape in the SageMaker model.
public struct NumberShapeRules: Sendable {
    /// Smallest allowed value.
    public var min: Int?
    /// Largest allowed value.
    public var max: Int?

    /// Creates the rules of one number shape.
    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }
}
