import Foundation

/// Where this process makes its instances' cgroups, in one hierarchy: always in a shared `sagebox` folder
/// (`SharedCgroup`, whose limits leave the host a reserve), under a base that depends on the user.
///
/// Root owns the whole tree: the base is the hierarchy's root. A normal user may only make cgroups inside
/// one that was delegated to it (its folder and files chowned to the user: systemd's `Delegate=yes` on
/// v2, `cgcreate -a USER -t USER` on v1) and must run inside it, so its base is the cgroup sagebox itself
/// runs in; the shared folder keeps sagebox's own process out of the jobs' limits.
enum CgroupParent {
    /// The shared parent folder under the base.
    static let sharedFolderName = "sagebox"
    /// v2 allows no process in a cgroup that hands controllers to children: a delegated cgroup holding
    /// sagebox itself gets sagebox moved into this child first.
    static let supervisorFolderName = "sagebox-supervisor"

    /// The shared parent folder for `controller` ("" under v2) in the hierarchy mounted at `mount`.
    static func folder(mount: URL, controller: String, asRoot: Bool = geteuid() == 0,
                       membership: @autoclosure () -> CgroupMembership = .current()) throws -> URL {
        try base(mount: mount, controller: controller, asRoot: asRoot, membership: membership())
            .appendingPathComponent(sharedFolderName)
    }

    /// The folder the shared parent goes in. `membership` is read only for a normal user.
    static func base(mount: URL, controller: String, asRoot: Bool = geteuid() == 0,
                     membership: @autoclosure () -> CgroupMembership = .current()) throws -> URL {
        if asRoot { return mount }
        guard var own = membership().folder(controller, under: mount) else {
            throw ResourceLimitError("cgroups unavailable: /proc/self/cgroup lists no \(controller.isEmpty ? "v2" : controller) cgroup")
        }
        if own.lastPathComponent == supervisorFolderName { own.deleteLastPathComponent() }
        guard access(own.path, W_OK) == 0 else {
            throw ResourceLimitError("cgroups unavailable: a normal user can create cgroups only inside one delegated to it, "
                + "and sagebox runs in \(own.path), which is not (see README, \"Running as a normal user\")")
        }
        return own
    }

    /// Under v2, lets `parent` hand the memory, cpu and pids controllers to its children. A delegated
    /// cgroup that holds sagebox itself refuses (EBUSY) until sagebox moves into a child of its own.
    static func enableControllers(in parent: URL, asRoot: Bool = geteuid() == 0) throws {
        do {
            try writeSubtreeControl(parent)
        } catch where !asRoot {
            let supervisor = parent.appendingPathComponent(supervisorFolderName)
            if mkdir(supervisor.path, 0o755) != 0 && errno != EEXIST {
                throw ResourceLimitError("cannot create cgroup \(supervisor.path): \(String(cString: strerror(errno)))")
            }
            try CgroupFile.write(String(getpid()), to: supervisor, "cgroup.procs")
            try writeSubtreeControl(parent)
        }
    }

    private static func writeSubtreeControl(_ folder: URL) throws {
        for controller in ["+memory", "+cpu", "+pids"] { try CgroupFile.write(controller, to: folder, "cgroup.subtree_control") }
    }
}
