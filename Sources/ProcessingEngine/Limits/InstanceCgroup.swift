import Foundation

/// One instance's cgroup: `<name>` in the shared cgroup (`SharedCgroup`), under v2 or each v1 controller. The
/// engine creates it before the launch, passes `launcherFolders` as `--cgroup` options (the launcher
/// joins them before any setup, so every process of the job is inside), reads `usage()` after the job
/// and then calls `destroy()`, which kills whatever is left and removes the folders.
public struct InstanceCgroup: Sendable {
    /// The hierarchy the cgroup was made in (v2 or v1).
    public let hierarchy: CgroupHierarchy
    /// The instance's folder for each controller (under v2, the same folder for all).
    let folders: [CgroupController: URL]

    /// The folders to pass to `sagebox-launcher --cgroup`, one each.
    public var launcherFolders: [String] {
        Array(Set(folders.values.map(\.path))).sorted()
    }

    /// Creates the cgroup inside `shared` and sets `limits`. `name` must be unique on the machine (job
    /// name, host and a UUID, say); characters other than letters, digits, `.`, `_` and `-` become `_`.
    /// Nothing is left behind when it throws.
    public static func create(name: String, limits: CgroupLimits, in shared: SharedCgroup) throws -> InstanceCgroup {
        let safeName = folderName(name)
        var folders: [CgroupController: URL] = [:]
        var created: [URL] = []
        do {
            for (controller, parent) in shared.folders.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let folder = parent.appendingPathComponent(safeName)
                // cpu and cpuacct may share one v1 mount, and v2 has one folder for all.
                if !created.contains(folder) {
                    try makeFolder(folder, mayExist: false)
                    created.append(folder)
                }
                folders[controller] = folder
            }
            let cgroup = InstanceCgroup(hierarchy: shared.hierarchy, folders: folders)
            try cgroup.apply(limits)
            return cgroup
        } catch {
            for folder in created.reversed() { _ = rmdir(folder.path) }
            throw error
        }
    }

    /// Creates the cgroup inside the shared cgroup, prepared with the default host reserve. Throws
    /// `ResourceLimitError` when cgroups cannot be used here: no memory controller, or a normal user whose
    /// cgroup was not delegated to it (`CgroupParent`).
    public static func create(name: String, limits: CgroupLimits,
                              hierarchy: CgroupHierarchy? = .detect()) throws -> InstanceCgroup {
        try create(name: name, limits: limits, in: SharedCgroup.prepare(hierarchy: hierarchy))
    }

    /// The folder name for `name`: characters other than letters, digits, `.`, `_` and `-` become `_`.
    static func folderName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
    }

    /// mkdir; a shared parent (`mayExist`) may be there already, an instance's own folder may not.
    static func makeFolder(_ folder: URL, mayExist: Bool) throws {
        if mkdir(folder.path, 0o755) == 0 { return }
        let error = errno
        if error == EEXIST && mayExist { return }
        if error == EACCES || error == EPERM || error == EROFS {
            throw ResourceLimitError("cgroups unavailable: cannot create \(folder.path) (\(String(cString: strerror(error))))"
                + (geteuid() == 0 ? "" : "; a normal user cannot create cgroups unless they were delegated to it"))
        }
        throw ResourceLimitError("cannot create cgroup \(folder.path): \(String(cString: strerror(error)))")
    }
}
