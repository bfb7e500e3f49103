import Foundation

/// How this machine mounts cgroups. Laptops and new CI runners have the unified hierarchy (v2); older
/// machines, and this project's build machines, the legacy one (v1) with a mount per controller.
public enum CgroupHierarchy: Sendable, Equatable {
    /// cgroup v2 at `root`, offering the memory, cpu and pids controllers.
    case unified(root: URL)
    /// cgroup v1: the folder of each controller's hierarchy (cpu and cpuacct may be one folder).
    case legacy(controllers: [CgroupController: URL])

    /// The hierarchy under `mountPoint` (normally /sys/fs/cgroup), or nil when neither version offers a
    /// memory controller. v2 counts only when its root lists memory, cpu and pids: a v2 mount beside v1
    /// controllers (a "hybrid" machine) holds no useful controller.
    public static func detect(mountPoint: URL = URL(fileURLWithPath: "/sys/fs/cgroup")) -> CgroupHierarchy? {
        if let listed = CgroupFile.read(mountPoint, "cgroup.controllers") {
            let controllers = Set(listed.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            if controllers.isSuperset(of: ["memory", "cpu", "pids"]) { return .unified(root: mountPoint) }
        }
        var found: [CgroupController: URL] = [:]
        for controller in CgroupController.allCases {
            let folder = mountPoint.appendingPathComponent(controller.rawValue).resolvingSymlinksInPath()
            if CgroupFile.exists(folder, controller.probeFile) { found[controller] = folder }
        }
        return found[.memory] == nil ? nil : .legacy(controllers: found)
    }
}

/// The v1 controllers an instance uses.
public enum CgroupController: String, Sendable, CaseIterable {
    case memory, cpu, cpuacct, pids

    /// A file this controller's root folder holds (the pids root has no pids.* file, only the common ones).
    var probeFile: String {
        switch self {
        case .memory: "memory.limit_in_bytes"
        case .cpu: "cpu.cfs_quota_us"
        case .cpuacct: "cpuacct.usage"
        case .pids: "cgroup.procs"
        }
    }
}
