import Foundation

/// The limits of one instance's cgroup, from its instance type (capped at the machine's size).
public struct CgroupLimits: Sendable, Equatable {
    /// Memory the instance's processes may use; past it the kernel kills them (no swap either).
    public var memoryBytes: UInt64?
    /// CPU time per wall second, in CPUs (2 = two full cores), enforced as a CFS quota.
    public var vcpus: Double?
    /// Processes and threads at once.
    public var maxProcesses: Int?

    public init(memoryBytes: UInt64? = nil, vcpus: Double? = nil, maxProcesses: Int? = nil) {
        self.memoryBytes = memoryBytes
        self.vcpus = vcpus
        self.maxProcesses = maxProcesses
    }

    /// Quota in microseconds per `cpuPeriodMicroseconds`; the kernel refuses less than 1 ms.
    var cpuQuotaMicroseconds: Int? {
        vcpus.map { max(1000, Int(($0 * Double(Self.cpuPeriodMicroseconds)).rounded())) }
    }

    static let cpuPeriodMicroseconds = 100_000
}
