import Foundation
import Testing
@testable import ProcessingEngine

/// The CPU quota holds a job to its vCPUs, measured from the cgroup's own CPU time.
@Suite(.timeLimit(.minutes(1)))
struct CgroupCPUTests {
    @Test func twoSpinningThreadsCappedAtHalfACPUUseAtMostAboutHalf() async throws {
        let cgroup = try InstanceCgroup.create(name: CgroupProcess.uniqueName(), limits: CgroupLimits(vcpus: 0.5))
        let spinner = try CgroupProcess(in: cgroup, "sh -c 'spin() { while :; do :; done; }; spin & spin & wait'")
        try spinner.start()
        try await Task.sleep(for: .milliseconds(300)) // both loops running
        let clock = ContinuousClock()
        let start = clock.now, before = cgroup.usage().cpuSeconds
        try await Task.sleep(for: .seconds(2))
        let used = cgroup.usage().cpuSeconds - before
        let wall = (clock.now - start) / .seconds(1)
        let running = cgroup.processes()
        try cgroup.destroy()

        #expect(running.count == 3, "the shell and its two loops were in the cgroup: \(running)")
        #expect(used / wall <= 0.6, "used \(used) CPU-seconds in \(wall) s")
        #expect(used / wall >= 0.3, "the spinner ran: \(used) CPU-seconds in \(wall) s")
    }
}
