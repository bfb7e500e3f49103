import Foundation
import Testing
@testable import ProcessingEngine

/// The memory limit kills a job that goes over it, and the cgroup tells that kill from any other.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CgroupMemoryTests {
    /// Allocates MiB mebibytes and touches every page, so they are really used.
    private static func allocate(_ mebibytes: Int) -> String {
        "python3 -c 'b = bytearray(\(mebibytes) * 2**20)\nfor i in range(0, len(b), 4096): b[i] = 1'"
    }

    @Test func jobOverTheLimitIsKilledAndReportedAsSuch() async throws {
        let cgroup = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 256 << 20))
        let ended = try await CgroupProcess(in: cgroup, Self.allocate(512)).run()
        let usage = cgroup.usage()
        try cgroup.destroy()

        #expect(ended.reason == .uncaughtSignal && ended.status == SIGKILL)
        #expect(usage.memoryLimitKilled)
    }

    @Test func jobUnderTheLimitCompletesAndIsNotReportedKilled() async throws {
        let cgroup = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 256 << 20))
        let ended = try await CgroupProcess(in: cgroup, Self.allocate(64)).run()
        let usage = cgroup.usage()
        try cgroup.destroy()

        #expect(ended.reason == .exit && ended.status == 0)
        #expect(!usage.memoryLimitKilled)
        #expect(usage.cpuSeconds > 0, "the cgroup counted the job's CPU time")
    }

    @Test func otherSigkillIsNotAMemoryKill() async throws {
        let cgroup = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(memoryBytes: 256 << 20))
        let ended = try await CgroupProcess(in: cgroup, "sh -c 'kill -9 $$'").run()
        let usage = cgroup.usage()
        try cgroup.destroy()

        #expect(ended.reason == .uncaughtSignal && ended.status == SIGKILL)
        #expect(!usage.memoryLimitKilled)
    }
}
