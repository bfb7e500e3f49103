/// An `ml.*` instance type's size: what an instance of it may use on this machine.
public struct InstanceType: Sendable, Equatable {
    public var name: String
    public var vcpus: Int
    public var memoryMiB: Int

    /// The type named `name`, or nil for a name the table does not know (validation rejects those first).
    public static func named(_ name: String) -> InstanceType? { table[name] }

    /// Every known type, by name.
    public static var all: [InstanceType] { table.values.sorted { $0.name < $1.name } }
}
