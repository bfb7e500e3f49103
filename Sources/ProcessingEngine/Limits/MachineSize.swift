import Foundation

/// What this machine can give one instance, so that the engine caps an instance type at it (and says
/// so): memory is the smaller of MemTotal and the limit of the cgroup sagebox itself runs in; CPUs the
/// CPUs sagebox may run on (affinity), lowered by its cgroup's CPU quota.
public struct MachineSize: Sendable, Equatable {
    public let memoryBytes: UInt64
    public let cpus: Double

    public init(memoryBytes: UInt64, cpus: Double) {
        self.memoryBytes = memoryBytes
        self.cpus = cpus
    }

    public static func current() -> MachineSize {
        let enclosing = EnclosingCgroup.current()
        var memory = totalMemory() ?? UInt64(ProcessInfo.processInfo.physicalMemory)
        if let limit = enclosing.memoryLimit { memory = min(memory, limit) }
        var cpus = Double(schedulableCPUs())
        if let quota = enclosing.cpuQuota { cpus = min(cpus, quota) }
        return MachineSize(memoryBytes: memory, cpus: cpus)
    }

    /// MemTotal of /proc/meminfo, in bytes.
    static func totalMemory() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kibibytes = UInt64(fields[1]) { return kibibytes * 1024 }
        }
        return nil
    }

    /// CPUs in this process's affinity mask (what `nproc` prints), from `Cpus_allowed_list` in
    /// /proc/self/status ("0-3,6"): sched_getaffinity does not import into Swift without _GNU_SOURCE.
    static func schedulableCPUs() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
            return ProcessInfo.processInfo.activeProcessorCount
        }
        let list = line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
        var count = 0
        for range in list.split(separator: ",") {
            let ends = range.split(separator: "-").compactMap { Int($0) }
            count += ends.count == 2 ? ends[1] - ends[0] + 1 : 1
        }
        return max(1, count)
    }
}
