import Foundation

/// What one instance may use: its instance type's memory, vCPUs and processes, enforced by a cgroup inside
/// the shared one (`SharedCgroup`) where sagebox may create one, and the launcher's isolation options.
///
/// The limits are caps, overcommitted as Kubernetes limits are: instances are not given a division of the
/// machine (twenty ml.m5.xlarge jobs of 16 GiB each run side by side on 24 GiB while they use little),
/// because the shared cgroup, not the division, keeps the host's reserve. Each cap is only lowered to what
/// the machine can give at all: memory and processes to the shared limits, vCPUs to the machine's CPUs
/// (CPU time is shared fairly by the scheduler and never exhausts the host).
struct InstanceResources {
    /// Nil where cgroups cannot be used (a normal user without a delegated cgroup): the job then runs with
    /// rlimits only.
    let cgroup: InstanceCgroup?
    let launcherOptions: [String]
    /// The vCPUs the instance may use (its type's, or this machine's CPUs); nil without a cgroup.
    var vcpus: Double? = nil

    /// Open files, as a container's default allows.
    static let openFiles = 65_536
    /// Processes and threads of one instance (lowered to the shared limit).
    static let processes = 16_384

    /// The limits of an instance of `typeName`; `note` records on the job's timeline what the machine
    /// could not give, once per job.
    static func make(name: String, typeName: String, machine: MachineSize,
                     reserve: HostReserve, note: (String) -> Void) -> InstanceResources {
        let options = ["--readonly-host", "--nofile", String(openFiles)]
        guard let type = InstanceType.named(typeName) else {
            return InstanceResources(cgroup: nil, launcherOptions: options + ["--nproc", String(processes)])
        }
        let jobsShare = SharedCgroup.limits(machine: machine, reserve: reserve)
        var memory = min(UInt64(type.memoryMiB) << 20, jobsShare.memoryBytes)
        let vcpus = min(Double(type.vcpus), machine.cpus)
        let cgroup: InstanceCgroup
        do {
            let shared = try SharedCgroup.prepare(machine: machine, reserve: reserve)
            memory = min(memory, shared.memoryBytes ?? memory)
            let pids = min(UInt64(processes), shared.maxProcesses ?? UInt64(processes))
            cgroup = try InstanceCgroup.create(name: name, limits: CgroupLimits(memoryBytes: memory, vcpus: vcpus, maxProcesses: Int(pids)),
                                               in: shared)
        } catch {
            note("Resource limits are not enforced: \(error)")
            return InstanceResources(cgroup: nil, launcherOptions: options + ["--nproc", String(processes)] + shmSize(memory))
        }
        return InstanceResources(cgroup: cgroup, launcherOptions: options + cgroup.launcherFolders.flatMap { ["--cgroup", $0] } + shmSize(memory),
                                 vcpus: vcpus)
    }

    /// /dev/shm is a tmpfs, whose pages are charged to the writer's memory cgroup; its size is the
    /// instance's memory too, so that without a cgroup it still cannot take more (the kernel's default
    /// is half of the host's memory).
    private static func shmSize(_ memory: UInt64) -> [String] { ["--shm-size", String(memory)] }

    /// The job's note when this machine is smaller than one instance of the job's type.
    static func capacityNote(typeName: String, machine: MachineSize, reserve: HostReserve) -> String? {
        guard let type = InstanceType.named(typeName) else { return nil }
        let jobsMemory = SharedCgroup.limits(machine: machine, reserve: reserve).memoryBytes
        guard UInt64(type.memoryMiB) << 20 > jobsMemory || Double(type.vcpus) > machine.cpus else { return nil }
        let gib = { (bytes: UInt64) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        return "This machine (\(gib(jobsMemory)) for jobs, \(String(format: "%g", machine.cpus)) CPUs) is smaller than "
            + "\(typeName) (\(gib(UInt64(type.memoryMiB) << 20)), \(type.vcpus) vCPUs): each instance is capped at the machine"
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
