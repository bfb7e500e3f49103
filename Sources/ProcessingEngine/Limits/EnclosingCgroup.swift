import Foundation

/// The limits of the cgroups sagebox itself runs in (a container, a systemd slice), from
/// /proc/self/cgroup. A limit anywhere up the tree applies, so the smallest one on the way up counts.
/// Where the cgroup's folder is not visible (a cgroup namespace), no limit is found.
struct EnclosingCgroup {
    var memoryLimit: UInt64?
    var cpuQuota: Double?

    static func current(mountPoint: URL = URL(fileURLWithPath: "/sys/fs/cgroup"),
                        membership: String? = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) -> EnclosingCgroup {
        guard let hierarchy = CgroupHierarchy.detect(mountPoint: mountPoint), let membership else { return EnclosingCgroup() }
        let paths = CgroupMembership(membership).paths
        switch hierarchy {
        case .unified(let root):
            let chain = ancestors(root, paths[""])
            return EnclosingCgroup(
                memoryLimit: chain.compactMap { CgroupFile.number($0, "memory.max") }.min(),
                cpuQuota: chain.compactMap(unifiedQuota).min())
        case .legacy(let controllers):
            // v1 reports "no limit" as a huge number rounded to the page size; anything above 2^62 is none.
            let memory = ancestors(controllers[.memory], paths["memory"])
                .compactMap { CgroupFile.number($0, "memory.limit_in_bytes") }.filter { $0 < 1 << 62 }.min()
            let cpu = ancestors(controllers[.cpu], paths["cpu"]).compactMap(legacyQuota).min()
            return EnclosingCgroup(memoryLimit: memory, cpuQuota: cpu)
        }
    }

    /// The cgroup's folder and every folder above it up to the mount.
    private static func ancestors(_ mount: URL?, _ path: String?) -> [URL] {
        guard let mount, let path else { return [] }
        var folders = [mount]
        var folder = mount
        for component in path.split(separator: "/") {
            folder = folder.appendingPathComponent(String(component))
            folders.append(folder)
        }
        return folders.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// cpu.max is "QUOTA PERIOD" or "max PERIOD".
    private static func unifiedQuota(_ folder: URL) -> Double? {
        let fields = (CgroupFile.read(folder, "cpu.max") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return quota / period
    }

    /// cpu.cfs_quota_us is -1 without a quota.
    private static func legacyQuota(_ folder: URL) -> Double? {
        guard let quotaText = CgroupFile.read(folder, "cpu.cfs_quota_us"),
              let quota = Double(quotaText.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0,
              let period = CgroupFile.number(folder, "cpu.cfs_period_us"), period > 0 else { return nil }
        return quota / Double(period)
    }
}
