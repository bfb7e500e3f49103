import Foundation

/// Why a resource limit could not be put in place. The engine reports it in the job's events and
/// falls back to what remains (rlimits), never to a crash.
public struct ResourceLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One sentence for the job's events, e.g. "cgroups unavailable: a normal user cannot create cgroups v1".
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
