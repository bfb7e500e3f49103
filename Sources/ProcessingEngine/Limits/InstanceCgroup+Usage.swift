import Foundation

extension InstanceCgroup {
    /// What the cgroup has counted so far. Read it after the job ended and before `destroy()`.
    public func usage() -> CgroupUsage {
        guard let memory = folders[.memory] else { return CgroupUsage(memoryLimitKilled: false, cpuSeconds: 0) }
        switch hierarchy {
        case .unified:
            let folder = memory
            let kills = CgroupFile.keyedValue(folder, "memory.events", key: "oom_kill") ?? 0
            let microseconds = CgroupFile.keyedValue(folder, "cpu.stat", key: "usage_usec") ?? 0
            return CgroupUsage(memoryLimitKilled: kills > 0, cpuSeconds: Double(microseconds) / 1e6)
        case .legacy:
            // oom_kill (Linux 4.13+) counts kills; older kernels only say the cgroup is under OOM now.
            let killed = CgroupFile.keyedValue(memory, "memory.oom_control", key: "oom_kill").map { $0 > 0 }
                ?? (CgroupFile.keyedValue(memory, "memory.oom_control", key: "under_oom") == 1)
            let nanoseconds = folders[.cpuacct].flatMap { CgroupFile.number($0, "cpuacct.usage") } ?? 0
            return CgroupUsage(memoryLimitKilled: killed, cpuSeconds: Double(nanoseconds) / 1e9)
        }
    }

    /// The pids in the instance's cgroup (every process the job started that is still there).
    public func processes() -> [Int32] {
        Array(Set(folders.values.flatMap { CgroupFile.processes($0) })).sorted()
    }
}
