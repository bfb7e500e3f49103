import Foundation
import Testing
@testable import ProcessingEngine

/// Issue 11: every instance lives in one shared cgroup whose limits leave the host a reserve.
struct SharedCgroupTests {
    private let machine = MachineSize(memoryBytes: 24 << 30, cpus: 2, processes: 32_768)

    @Test func theDefaultReserveIsTheLargerOf2GiBAnd10PercentAndAQuarterOfThePIDs() {
        let limits = SharedCgroup.limits(machine: machine, reserve: HostReserve())
        #expect(limits.memoryBytes == (24 << 30) - (24 << 30) / 10)
        #expect(limits.processes == 24_576)
        let small = SharedCgroup.limits(machine: MachineSize(memoryBytes: 8 << 30, cpus: 1, processes: 2_048), reserve: HostReserve())
        #expect(small.memoryBytes == 6 << 30)
        #expect(small.processes == 1_024)
    }

    @Test func aReserveSetByTheUserIsKeptAndJobsAlwaysKeepAFloor() {
        let fixed = HostReserve(memory: .fixed(4 << 30), processes: .percent(50))
        #expect(SharedCgroup.limits(machine: machine, reserve: fixed) == (20 << 30, 16_384))
        let everything = HostReserve(memory: .fixed(64 << 30), processes: .fixed(100_000))
        #expect(SharedCgroup.limits(machine: machine, reserve: everything) == (64 << 20, 64))
    }

    @Test func reservesAreReadAsSizesCountsOrShares() {
        #expect(HostReserve.parse("4G") == .fixed(4 << 30))
        #expect(HostReserve.parse("512MiB") == .fixed(512 << 20))
        #expect(HostReserve.parse("1.5g") == .fixed(3 << 29))
        #expect(HostReserve.parse("4096") == .fixed(4096))
        #expect(HostReserve.parse("15%") == .percent(15))
        for wrong in ["", "G", "-1G", "100%", "4X", "lots"] { #expect(HostReserve.parse(wrong) == nil, "\(wrong)") }
    }

    @Test func theSharedCgroupHoldsItsLimitsAndEveryInstanceCgroupIsInsideIt() throws {
        let machine = MachineSize.current()
        let shared = try SharedCgroup.prepare(machine: machine)
        let expected = SharedCgroup.limits(machine: machine, reserve: HostReserve())
        // v1 rounds the memory limit down to whole pages.
        let memory = try #require(shared.memoryBytes)
        #expect(memory <= expected.memoryBytes && memory > expected.memoryBytes - 4096)
        #expect(shared.maxProcesses == expected.processes)
        switch shared.hierarchy {
        case .unified:
            let folder = try #require(shared.folders[.memory])
            #expect(CgroupFile.number(folder, "memory.max") == memory)
            #expect(CgroupFile.number(folder, "pids.max") == expected.processes)
        case .legacy:
            #expect(CgroupFile.number(try #require(shared.folders[.memory]), "memory.limit_in_bytes") == memory)
            #expect(CgroupFile.number(try #require(shared.folders[.pids]), "pids.max") == expected.processes)
        }
        let instance = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 64 << 20), in: shared)
        defer { try? instance.destroy() }
        #expect(instance.launcherFolders.count == Set(shared.paths).count)
        for folder in instance.launcherFolders {
            #expect(shared.paths.contains(URL(fileURLWithPath: folder).deletingLastPathComponent().path), "\(folder)")
        }
    }

    /// A parent with a small memory limit, made for this test beside the real shared cgroup (lowering
    /// that one would squeeze every job on the machine).
    private static func smallParent(memory: UInt64) throws -> SharedCgroup {
        let hierarchy = try #require(CgroupHierarchy.detect())
        let name = "sagebox-test-\(UUID().uuidString.prefix(8))"
        var folders: [CgroupController: URL] = [:]
        switch hierarchy {
        case .unified(let root):
            let folder = root.appending(path: name)
            try InstanceCgroup.makeFolder(folder, mayExist: false)
            try CgroupParent.enableControllers(in: folder)
            try CgroupFile.write(String(memory), to: folder, "memory.max")
            for controller in CgroupController.allCases { folders[controller] = folder }
        case .legacy(let controllers):
            for (controller, mount) in controllers {
                let folder = mount.appending(path: name)
                try InstanceCgroup.makeFolder(folder, mayExist: true)
                folders[controller] = folder
            }
            try CgroupFile.write(String(memory), to: try #require(folders[.memory]), "memory.limit_in_bytes")
        }
        return SharedCgroup(hierarchy: hierarchy, folders: folders, memoryBytes: memory, maxProcesses: nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func aKillAtTheSharedLimitIsReportedOnTheInstanceWhoseProcessWasKilled() async throws {
        let parent = try Self.smallParent(memory: 256 << 20)
        defer { for path in parent.paths { rmdir(path) } }
        // Neither instance has a limit of its own: only the parent's can kill.
        let quiet = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(), in: parent)
        let greedy = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(), in: parent)
        let bystander = try CgroupProcess(in: quiet, "python3 -c 'b = bytearray(16 * 2**20); import time; time.sleep(600)'")
        try bystander.start()
        let ended = try await CgroupProcess(in: greedy, "python3 -c 'bytearray(512 * 2**20)'").run()
        let (quietUsage, greedyUsage) = (quiet.usage(), greedy.usage())
        #expect(bystander.process.isRunning)
        try quiet.destroy()
        try greedy.destroy()

        #expect(ended.reason == .uncaughtSignal && ended.status == SIGKILL)
        #expect(greedyUsage.memoryLimitKilled)
        #expect(!quietUsage.memoryLimitKilled)
    }
}
