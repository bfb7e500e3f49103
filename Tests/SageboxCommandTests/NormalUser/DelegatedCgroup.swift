import Foundation

/// Cgroups handed to a normal user, as an administrator delegates them (`cgcreate -a USER -t USER` on
/// v1, systemd's `Delegate=yes` on v2): folders inside this test's own cgroups, chowned to the user.
/// A process started in them may make child cgroups there, and sagebox, run inside, does.
struct DelegatedCgroup {
    /// One folder per hierarchy; a process joins by writing its pid to each `cgroup.procs`.
    let folders: [URL]

    init(owner uid: uid_t, group gid: gid_t, name: String) throws {
        let mount = URL(filePath: "/sys/fs/cgroup")
        let membership = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        var folders: [URL] = []
        if let listed = try? String(contentsOf: mount.appending(path: "cgroup.controllers"), encoding: .utf8),
           listed.contains("memory") {
            // v2: beside this test's cgroup, at the top, which may hold processes and still hand controllers down.
            folders.append(mount.appending(path: name))
        } else {
            for line in membership.split(separator: "\n") {
                let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3 else { continue }
                for controller in fields[1].split(separator: ",") where ["memory", "cpu", "cpuacct", "pids"].contains(controller) {
                    let hierarchy = mount.appending(path: String(controller)).resolvingSymlinksInPath()
                    let folder = hierarchy.appending(path: String(fields[2])).appending(path: name).standardizedFileURL
                    if !folders.contains(folder) { folders.append(folder) }
                }
            }
        }
        for folder in folders {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            for file in [""] + ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []) {
                chown(folder.appending(path: file).path, uid, gid)
            }
        }
        self.folders = folders
    }

    /// Removes the folders once what ran in them has ended (the kernel needs a moment after the last exit),
    /// with the cgroups sagebox made inside them (its shared `sagebox` folder) first: rmdir refuses a
    /// cgroup with children.
    func remove() {
        for folder in folders.reversed() { Self.removeTree(folder) }
    }

    private static func removeTree(_ folder: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        for entry in entries where (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { removeTree(entry) }
        for _ in 0..<100 where rmdir(folder.path) != 0 && errno == EBUSY { usleep(50_000) }
    }
}
