import Foundation

/// The cgroup every instance lives in (`CgroupParent`: `sagebox` under the hierarchy's root, or under the
/// cgroup delegated to a normal user). Its memory and pids limits are the machine's minus the host's
/// reserve; the instances' own limits are caps inside it, overcommitted as Kubernetes limits are, so many
/// small jobs run side by side. When together they reach the shared limit, the kernel's OOM killer picks
/// its victim among the instances' processes only (the largest), never the server or the host; the kill
/// is counted in the victim's own cgroup, so the job it belonged to is the one reported.
///
/// Every job start writes the limits again from its settings (writes are idempotent; with several
/// sagebox processes, the last one's reserve holds). Where a limit cannot be changed (v1 refuses one below
/// what the jobs use now), the limit already in force is kept: it protects the host as well.
public struct SharedCgroup: Sendable {
    public let hierarchy: CgroupHierarchy
    /// The shared folder of each controller (under v2, one folder for all).
    let folders: [CgroupController: URL]
    /// The limits in force, read back: v1 rounds memory to pages, and another sagebox may have set them.
    public let memoryBytes: UInt64?
    public let maxProcesses: UInt64?

    /// The folders, one per hierarchy mount (cpu and cpuacct may share one).
    public var paths: [String] { Array(Set(folders.values.map(\.path))).sorted() }

    /// The shared limits for `machine` with `reserve` kept for the host (at least 64 MiB and 64 PIDs are
    /// left to jobs, whatever the reserve).
    public static func limits(machine: MachineSize, reserve: HostReserve) -> (memoryBytes: UInt64, processes: UInt64) {
        let memory = machine.memoryBytes - min(machine.memoryBytes, reserve.memoryBytes(of: machine.memoryBytes))
        let processes = machine.processes - min(machine.processes, reserve.processCount(of: machine.processes))
        return (max(memory, 64 << 20), max(processes, 64))
    }

    /// Creates the shared folders where missing and writes the limits. Throws `ResourceLimitError` where
    /// cgroups cannot be used here (no memory controller; a normal user without a delegated cgroup).
    public static func prepare(machine: MachineSize = .current(), reserve: HostReserve = HostReserve(),
                               hierarchy: CgroupHierarchy? = .detect()) throws -> SharedCgroup {
        guard let hierarchy else { throw ResourceLimitError("cgroups unavailable: no cgroup memory controller on this machine") }
        let (memory, processes) = limits(machine: machine, reserve: reserve)
        var folders: [CgroupController: URL] = [:]
        switch hierarchy {
        case .unified(let root):
            // Controllers reach a child only when every parent enables them.
            let base = try CgroupParent.base(mount: root, controller: "")
            try CgroupParent.enableControllers(in: base)
            let shared = base.appendingPathComponent(CgroupParent.sharedFolderName)
            try InstanceCgroup.makeFolder(shared, mayExist: true)
            try CgroupParent.enableControllers(in: shared)
            try keep(memory, in: shared, "memory.max")
            if CgroupFile.exists(shared, "memory.swap.max") { try? CgroupFile.write("0", to: shared, "memory.swap.max") }
            try keep(processes, in: shared, "pids.max")
            for controller in CgroupController.allCases { folders[controller] = shared }
            return SharedCgroup(hierarchy: hierarchy, folders: folders,
                                memoryBytes: CgroupFile.number(shared, "memory.max"), maxProcesses: CgroupFile.number(shared, "pids.max"))
        case .legacy(let controllers):
            for (controller, mount) in controllers {
                let shared = try CgroupParent.folder(mount: mount, controller: controller.rawValue)
                try InstanceCgroup.makeFolder(shared, mayExist: true)
                folders[controller] = shared
            }
            let memoryFolder = folders[.memory]!
            // memsw (memory plus swap) may never be below the memory limit: raised first, lowered after.
            let swapFile = "memory.memsw.limit_in_bytes"
            let hasSwapFile = CgroupFile.exists(memoryFolder, swapFile)
            if hasSwapFile { try? CgroupFile.write(String(memory), to: memoryFolder, swapFile) }
            try keep(memory, in: memoryFolder, "memory.limit_in_bytes")
            if hasSwapFile { try keep(memory, in: memoryFolder, swapFile) }
            if let pids = folders[.pids] { try keep(processes, in: pids, "pids.max") }
            return SharedCgroup(hierarchy: hierarchy, folders: folders,
                                memoryBytes: legacyLimit(memoryFolder, "memory.limit_in_bytes"),
                                maxProcesses: folders[.pids].flatMap { CgroupFile.number($0, "pids.max") })
        }
    }

    /// Writes `value`; when the kernel refuses and a limit is already in force, keeps that one.
    private static func keep(_ value: UInt64, in folder: URL, _ file: String) throws {
        do {
            try CgroupFile.write(String(value), to: folder, file)
        } catch {
            if legacyLimit(folder, file) == nil { throw error }
        }
    }

    /// A limit file's number; nil for none ("max", or v1's huge page-rounded "unlimited" above 2^62).
    private static func legacyLimit(_ folder: URL, _ file: String) -> UInt64? {
        CgroupFile.number(folder, file).flatMap { $0 < 1 << 62 ? $0 : nil }
    }
}
