import Foundation
import Testing
@testable import ProcessingEngine

/// The machine's size: what an instance can get at most.
struct MachineSizeTests {
    @Test func currentSizeMatchesMeminfoAndNproc() throws {
        let size = MachineSize.current()
        let memTotal = try #require(MachineSize.totalMemory())
        #expect(size.memoryBytes > 0 && size.memoryBytes <= memTotal)
        let nproc = try Self.output(of: "/usr/bin/nproc")
        #expect(MachineSize.schedulableCPUs() == Int(nproc))
        #expect(size.cpus > 0 && size.cpus <= Double(MachineSize.schedulableCPUs()))
    }

    @Test func enclosingV1LimitsAreTheSmallestUpTheTree() throws {
        let mount = try FakeCgroupMount()
        defer { mount.remove() }
        try mount.file("memory/memory.limit_in_bytes", "9223372036854771712")
        try mount.file("memory/outer/memory.limit_in_bytes", "2147483648")
        try mount.file("memory/outer/inner/memory.limit_in_bytes", "4294967296")
        try mount.file("cpu/cpu.cfs_quota_us", "-1")
        try mount.file("cpu/cpu.cfs_period_us", "100000")
        try mount.file("cpu/outer/cpu.cfs_quota_us", "150000")
        try mount.file("cpu/outer/cpu.cfs_period_us", "100000")

        let limits = EnclosingCgroup.current(mountPoint: mount.root, membership: "4:memory:/outer/inner\n1:cpu:/outer\n0::/\n")

        #expect(limits.memoryLimit == 2 << 30)
        #expect(limits.cpuQuota == 1.5)
    }

    @Test func enclosingV2LimitsAreRead() throws {
        let mount = try FakeCgroupMount()
        defer { mount.remove() }
        try mount.file("cgroup.controllers", "cpuset cpu io memory pids")
        try mount.file("box/memory.max", "max")
        try mount.file("box/cpu.max", "max 100000")
        try mount.file("box/job/memory.max", "1073741824")
        try mount.file("box/job/cpu.max", "50000 100000")

        let limits = EnclosingCgroup.current(mountPoint: mount.root, membership: "0::/box/job\n")

        #expect(limits.memoryLimit == 1 << 30)
        #expect(limits.cpuQuota == 0.5)
    }

    @Test func hierarchyIsDetectedFromWhatTheMountOffers() throws {
        let v2 = try FakeCgroupMount(), hybrid = try FakeCgroupMount(), none = try FakeCgroupMount()
        defer { v2.remove(); hybrid.remove(); none.remove() }
        try v2.file("cgroup.controllers", "cpu memory pids\n")
        try hybrid.file("cgroup.controllers", "\n") // v2 mounted, controllers all bound to v1
        try hybrid.file("memory/memory.limit_in_bytes", "1")
        try hybrid.file("cpuacct/cpuacct.usage", "1")
        try none.file("cgroup.controllers", "cpu pids\n")

        #expect(CgroupHierarchy.detect(mountPoint: v2.root) == .unified(root: v2.root))
        #expect(CgroupHierarchy.detect(mountPoint: hybrid.root) == .legacy(controllers: [
            .memory: hybrid.root.appendingPathComponent("memory").resolvingSymlinksInPath(),
            .cpuacct: hybrid.root.appendingPathComponent("cpuacct").resolvingSymlinksInPath(),
        ]))
        #expect(CgroupHierarchy.detect(mountPoint: none.root) == nil)
    }

    private static func output(of executable: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A folder laid out like /sys/fs/cgroup, with the control files a test writes.
struct FakeCgroupMount {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sagebox-fake-cgroup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func file(_ relativePath: String, _ contents: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
