import Foundation

/// What an instance's cgroup counted while the job ran.
public struct CgroupUsage: Sendable, Equatable {
    /// The memory limit made the kernel kill a process of the instance (v2 `memory.events` oom_kill,
    /// v1 `memory.oom_control` oom_kill): tells a memory kill from any other SIGKILL.
    public let memoryLimitKilled: Bool
    /// CPU time used by all its processes, user and system (v2 `cpu.stat` usage_usec, v1 `cpuacct.usage`).
    public let cpuSeconds: Double
}
