import HTTPTypes

extension HTTPFields {
    /// The value of the header `name` (case-insensitive), or nil when absent or not a valid name.
    subscript(named name: String) -> String? {
        get { HTTPField.Name(name).flatMap { self[$0] } }
        set { if let field = HTTPField.Name(name) { self[field] = newValue } }
    }
}
