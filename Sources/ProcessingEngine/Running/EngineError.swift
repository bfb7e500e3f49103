/// A fault in sagebox itself (not in the job or its request); the job ends Failed with
/// `InternalServerError: …`.
struct EngineError: Error, CustomStringConvertible {
    var description: String

    static func `internal`(_ text: String) -> EngineError { EngineError(description: text) }
}
