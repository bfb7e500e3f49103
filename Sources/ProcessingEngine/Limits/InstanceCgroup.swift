import Foundation

/// One instance's cgroup: `sagebox/<name>` under the v2 root, or under each v1 controller used. The
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

    /// Creates the cgroup and sets `limits`. `name` must be unique on the machine (job name, host and a
    /// UUID, say); characters other than letters, digits, `.`, `_` and `-` become `_`. Throws
    /// `ResourceLimitError` when cgroups cannot be used here: no memory controller, or a normal user whose
    /// cgroup was not delegated to it (`CgroupParent`). Nothing is left behind then.
    public static func create(name: String, limits: CgroupLimits,
                              hierarchy: CgroupHierarchy? = .detect()) throws -> InstanceCgroup {
        guard let hierarchy else { throw ResourceLimitError("cgroups unavailable: no cgroup memory controller on this machine") }
        let safeName = folderName(name)
        var created: [URL] = []
        do {
            let folders = try makeFolders(hierarchy, name: safeName, created: &created)
            let cgroup = InstanceCgroup(hierarchy: hierarchy, folders: folders)
            try cgroup.apply(limits)
            return cgroup
        } catch {
            for folder in created.reversed() { _ = rmdir(folder.path) }
            throw error
        }
    }

    /// The folder name for `name`: characters other than letters, digits, `.`, `_` and `-` become `_`.
    static func folderName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
    }

    private static func makeFolders(_ hierarchy: CgroupHierarchy, name: String,
                                    created: inout [URL]) throws -> [CgroupController: URL] {
        switch hierarchy {
        case .unified(let root):
            // Controllers reach a child only when every parent enables them (the root is exempt from
            // the no-processes-in-inner-cgroups rule, and root's sagebox/ holds no process).
            let parent = try CgroupParent.folder(mount: root, controller: "")
            if geteuid() == 0 {
                try makeFolder(parent, mayExist: true)
                try CgroupParent.enableControllers(in: root)
            }
            try CgroupParent.enableControllers(in: parent)
            let folder = parent.appendingPathComponent(name)
            try makeFolder(folder, mayExist: false)
            created.append(folder)
            return Dictionary(uniqueKeysWithValues: CgroupController.allCases.map { ($0, folder) })
        case .legacy(let controllers):
            var folders: [CgroupController: URL] = [:]
            var byMount: [String: URL] = [:] // cpu and cpuacct may share one mount
            for (controller, mount) in controllers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if let folder = byMount[mount.path] {
                    folders[controller] = folder
                    continue
                }
                let parent = try CgroupParent.folder(mount: mount, controller: controller.rawValue)
                try makeFolder(parent, mayExist: true)
                let folder = parent.appendingPathComponent(name)
                try makeFolder(folder, mayExist: false)
                created.append(folder)
                byMount[mount.path] = folder
                folders[controller] = folder
            }
            return folders
        }
    }

    /// mkdir; a shared parent (`mayExist`) may be there already, an instance's own folder may not.
    private static func makeFolder(_ folder: URL, mayExist: Bool) throws {
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
