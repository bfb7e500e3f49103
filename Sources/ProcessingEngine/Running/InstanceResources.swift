import Foundation

/// What one instance may use: its instance type's memory and vCPUs, capped at its share of this machine,
/// enforced by a cgroup where sagebox may create one, and the launcher's isolation options.
struct InstanceResources {
    /// Nil where cgroups cannot be used (a normal user without a delegated cgroup): the job then runs with
    /// rlimits only.
    let cgroup: InstanceCgroup?
    let launcherOptions: [String]
    /// The vCPUs the instance may use (its type's, or its share of this machine); nil without a cgroup.
    var vcpus: Double? = nil

    /// Open files, as a container's default allows.
    static let openFiles = 65_536
    /// Processes and threads of one instance.
    static let processes = 16_384

    /// The limits of one of `instanceCount` instances of `typeName`; `note` records on the job's timeline
    /// what the machine could not give, once per job.
    static func make(name: String, typeName: String, instanceCount: Int,
                     machine: MachineSize, note: (String) -> Void) -> InstanceResources {
        let options = ["--readonly-host", "--nofile", String(openFiles)]
        guard let type = InstanceType.named(typeName) else {
            return InstanceResources(cgroup: nil, launcherOptions: options + ["--nproc", String(processes)])
        }
        // Several instances run side by side here, each with its share of the machine.
        let share = Double(max(1, instanceCount))
        let memory = min(UInt64(type.memoryMiB) << 20, UInt64(Double(machine.memoryBytes) / share))
        let vcpus = min(Double(type.vcpus), machine.cpus / share)
        let cgroup: InstanceCgroup?
        do {
            cgroup = try InstanceCgroup.create(name: name, limits: CgroupLimits(memoryBytes: memory, vcpus: vcpus, maxProcesses: processes))
        } catch {
            note("Resource limits are not enforced: \(error)")
            return InstanceResources(cgroup: nil, launcherOptions: options + ["--nproc", String(processes)])
        }
        return InstanceResources(cgroup: cgroup, launcherOptions: options + cgroup!.launcherFolders.flatMap { ["--cgroup", $0] },
                                 vcpus: vcpus)
    }

    /// The job's note when this machine is smaller than what the job asked for.
    static func capacityNote(typeName: String, instanceCount: Int, machine: MachineSize) -> String? {
        guard let type = InstanceType.named(typeName) else { return nil }
        let wantedMemory = UInt64(type.memoryMiB) << 20 * UInt64(max(1, instanceCount))
        let wantedCPUs = Double(type.vcpus * max(1, instanceCount))
        guard wantedMemory > machine.memoryBytes || wantedCPUs > machine.cpus else { return nil }
        let gib = { (bytes: UInt64) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        return "This machine (\(gib(machine.memoryBytes)), \(String(format: "%g", machine.cpus)) CPUs) is smaller than "
            + "\(instanceCount) × \(typeName) (\(gib(UInt64(type.memoryMiB) << 20)), \(type.vcpus) vCPUs each): "
            + "each instance gets its share of the machine instead"
    }

    /// What the instance used, read from its cgroup before `release()`.
    var usage: CgroupUsage? { cgroup?.usage() }

    /// The timeline's line on what `host` used over `seconds` of wall time.
    func usageNote(host: String, usage: CgroupUsage, seconds: Double) -> String {
        String(format: "%@ used %.2f CPU-seconds in %.2f s (limit %g vCPUs)", host, usage.cpuSeconds, seconds, vcpus ?? 0)
    }

    /// Kills whatever the instance left running (even processes that left its process group) and removes
    /// the cgroup.
    func release() {
        try? cgroup?.destroy()
    }
}
