import Foundation

/// What this machine has, from which the host's reserve is taken (`SharedCgroup`) and at which an
/// instance type is capped (and the timeline says so): memory is the smaller of MemTotal and the limit
/// of the cgroup sagebox itself runs in; CPUs the CPUs sagebox may run on (affinity), lowered by its
/// cgroup's CPU quota; processes the smaller of pid_max and threads-max (every thread takes a PID).
public struct MachineSize: Sendable, Equatable {
    public let memoryBytes: UInt64
    public let cpus: Double
    public let processes: UInt64

    public init(memoryBytes: UInt64, cpus: Double, processes: UInt64 = 32_768) {
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.processes = processes
    }

    public static func current() -> MachineSize {
        let enclosing = EnclosingCgroup.current()
        var memory = totalMemory() ?? UInt64(ProcessInfo.processInfo.physicalMemory)
        if let limit = enclosing.memoryLimit { memory = min(memory, limit) }
        var cpus = Double(schedulableCPUs())
        if let quota = enclosing.cpuQuota { cpus = min(cpus, quota) }
        let limits = ["pid_max", "threads-max"].compactMap { CgroupFile.number(URL(fileURLWithPath: "/proc/sys/kernel"), $0) }
        return MachineSize(memoryBytes: memory, cpus: cpus, processes: limits.min() ?? 32_768)
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
