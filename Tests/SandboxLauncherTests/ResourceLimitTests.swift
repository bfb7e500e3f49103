import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// --nofile and --nproc set the job's rlimits; --cgroup puts the job (and its children) in a cgroup.
@Suite(.timeLimit(.minutes(1)))
struct ResourceLimitTests {
    @Test func rlimitsAreSetSoftAndHard() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            folders.launcherOptions + ["--nofile", "4321", "--nproc", "777"],
            program: ["sh", "-c", "ulimit -Sn; ulimit -Hn; grep 'Max processes' /proc/self/limits | tr -s ' '"], in: folders)
        #expect(result.standardOutput == "4321\n4321\nMax processes 777 777 processes \n", "\(result.standardError)")
    }

    @Test func badCountIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(folders.launcherOptions + ["--nofile", "-5"], program: ["true"], in: folders)
        #expect(result.status == 125)
        #expect(try folders.read(folders.errorFile) == "sagebox-launcher: --nofile -5: expected a positive number: Invalid argument\n")
    }

    @Test func jobAndItsChildrenRunInTheGivenCgroup() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let cgroup = try TestCgroup()
        defer { cgroup.remove() }

        // The child (a subshell running cat) reports its own cgroup membership.
        let result = try await Launcher.run(
            folders.launcherOptions + ["--cgroup", cgroup.folder.path],
            program: ["sh", "-c", "(cat /proc/self/cgroup)"], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix(":" + cgroup.pathInHierarchy) && $0.contains(cgroup.controllerField) },
                "\(result.standardOutput)")
    }

    @Test func missingCgroupIs125WithAClearMessage() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let missing = folders.base.appendingPathComponent("no-cgroup").path
        try folders.folder("no-cgroup")
        let result = try await Launcher.run(folders.launcherOptions + ["--cgroup", missing], program: ["true"], in: folders)
        #expect(result.status == 125)
        #expect(try folders.read(folders.errorFile) == "sagebox-launcher: --cgroup \(missing): not a cgroup folder: No such file or directory\n")
    }
}

/// A scratch cgroup for the launcher to join: the pids controller of v1, or a child of the v2 root.
struct TestCgroup {
    let folder: URL
    /// The cgroup's path as /proc/self/cgroup shows it.
    let pathInHierarchy: String
    /// The controllers field of its /proc/self/cgroup line ("pids" on v1, "" on v2).
    let controllerField: String

    init() throws {
        let name = "sagebox-launcher-test-\(UUID().uuidString)"
        let v2 = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
        folder = URL(fileURLWithPath: v2 ? "/sys/fs/cgroup/\(name)" : "/sys/fs/cgroup/pids/\(name)")
        pathInHierarchy = "/" + name
        controllerField = v2 ? "::" : ":pids:"
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    }

    /// The job has exited by now; rmdir is how a cgroup is removed.
    func remove() { _ = rmdir(folder.path) }
}
