import Foundation

extension InstanceCgroup {
    /// Writes the limits into the control files. Swap is closed too: otherwise a job over its memory
    /// would swap instead of failing as it does on an instance (AWS instances have no swap).
    func apply(_ limits: CgroupLimits) throws {
        switch hierarchy {
        case .unified:
            let folder = try folder(for: .memory)
            if let bytes = limits.memoryBytes {
                try CgroupFile.write(String(bytes), to: folder, "memory.max")
                if CgroupFile.exists(folder, "memory.swap.max") { try CgroupFile.write("0", to: folder, "memory.swap.max") }
            }
            if let quota = limits.cpuQuotaMicroseconds {
                try CgroupFile.write("\(quota) \(CgroupLimits.cpuPeriodMicroseconds)", to: folder, "cpu.max")
            }
            if let processes = limits.maxProcesses { try CgroupFile.write(String(processes), to: folder, "pids.max") }
        case .legacy:
            if let bytes = limits.memoryBytes {
                let memory = try folder(for: .memory)
                try CgroupFile.write(String(bytes), to: memory, "memory.limit_in_bytes")
                // memsw is memory plus swap: equal to the memory limit means no swap. Without it (swap
                // accounting off), swappiness 0 keeps the cgroup from swapping.
                if CgroupFile.exists(memory, "memory.memsw.limit_in_bytes") {
                    try CgroupFile.write(String(bytes), to: memory, "memory.memsw.limit_in_bytes")
                } else if CgroupFile.exists(memory, "memory.swappiness") {
                    try CgroupFile.write("0", to: memory, "memory.swappiness")
                }
            }
            if let quota = limits.cpuQuotaMicroseconds {
                let cpu = try folder(for: .cpu)
                try CgroupFile.write(String(CgroupLimits.cpuPeriodMicroseconds), to: cpu, "cpu.cfs_period_us")
                try CgroupFile.write(String(quota), to: cpu, "cpu.cfs_quota_us")
            }
            if let processes = limits.maxProcesses { try CgroupFile.write(String(processes), to: try folder(for: .pids), "pids.max") }
        }
    }

    func folder(for controller: CgroupController) throws -> URL {
        guard let folder = folders[controller] else {
            throw ResourceLimitError("cgroup controller \(controller.rawValue) is not mounted on this machine")
        }
        return folder
    }
}
