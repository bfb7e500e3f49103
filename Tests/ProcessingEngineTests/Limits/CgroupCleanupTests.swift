import Foundation
import Testing
@testable import ProcessingEngine

/// After a job, destroy() leaves no process and no cgroup folder; creation is all or nothing.
@Suite(.timeLimit(.minutes(1)))
struct CgroupCleanupTests {
    @Test func destroyKillsEveryProcessLeftAndRemovesTheFolders() async throws {
        let cgroup = try InstanceCgroup.create(
            name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 64 << 20, vcpus: 1, maxProcesses: 50))
        let folders = cgroup.launcherFolders
        // A job that leaves detached children behind (a new session, ignoring SIGTERM).
        let job = try CgroupProcess(in: cgroup, "sh -c 'trap \"\" TERM; setsid sleep 300 & sleep 300 & sleep 300'")
        try job.start()
        var waited = 0
        while cgroup.processes().count < 4, waited < 100 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 1
        }
        let pids = cgroup.processes()
        #expect(pids.count == 4, "\(pids)")
        #expect(folders.allSatisfy { FileManager.default.fileExists(atPath: $0 + "/cgroup.procs") })

        try cgroup.destroy()

        #expect(pids.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) }, "no process survives")
        #expect(folders.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    @Test func limitsAreWrittenToTheControlFiles() async throws {
        let cgroup = try InstanceCgroup.create(
            name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 300 << 20, vcpus: 1.5, maxProcesses: 42))
        switch cgroup.hierarchy {
        case .unified:
            let folder = URL(fileURLWithPath: cgroup.launcherFolders[0])
            #expect(CgroupFile.number(folder, "memory.max") == 300 << 20)
            #expect(CgroupFile.read(folder, "cpu.max") == "150000 100000\n")
            #expect(CgroupFile.number(folder, "pids.max") == 42)
        case .legacy:
            let memory = try cgroup.folder(for: .memory), cpu = try cgroup.folder(for: .cpu), pids = try cgroup.folder(for: .pids)
            #expect(CgroupFile.number(memory, "memory.limit_in_bytes") == 300 << 20)
            #expect(CgroupFile.number(cpu, "cpu.cfs_quota_us") == 150_000)
            #expect(CgroupFile.number(cpu, "cpu.cfs_period_us") == 100_000)
            #expect(CgroupFile.number(pids, "pids.max") == 42)
        }
        try cgroup.destroy()
    }

    @Test func noHierarchyIsReportedUnavailable() throws {
        #expect(throws: ResourceLimitError("cgroups unavailable: no cgroup memory controller on this machine")) {
            try InstanceCgroup.create(name: "x", limits: CgroupLimits(), hierarchy: nil)
        }
    }

    @Test func aTreeWhereNoCgroupCanBeMadeIsReportedUnavailable() throws {
        // As a normal user on v1: mkdir is refused. /sys refuses it to root too.
        let refusing = CgroupHierarchy.legacy(controllers: [.memory: URL(fileURLWithPath: "/sys")])
        #expect(throws: ResourceLimitError("cgroups unavailable: cannot create /sys/sagebox (Operation not permitted)")) {
            try InstanceCgroup.create(name: "x", limits: CgroupLimits(memoryBytes: 1 << 30), hierarchy: refusing)
        }
    }

    @Test func aLimitThatCannotBeWrittenLeavesNothingBehind() throws {
        // pids.max refuses a negative count: creation fails after the folders were made.
        let name = CgroupProcess.uniqueName()
        #expect(throws: ResourceLimitError.self) {
            try InstanceCgroup.create(name: name, limits: CgroupLimits(maxProcesses: -1))
        }
        let leftovers = ["/sys/fs/cgroup/sagebox/\(name)"] + CgroupController.allCases.map { "/sys/fs/cgroup/\($0.rawValue)/sagebox/\(name)" }
        #expect(leftovers.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let closing = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(closing, offsetBy: 2)] == "Z"
    }
}
