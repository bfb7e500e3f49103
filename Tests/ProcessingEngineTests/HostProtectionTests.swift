import Foundation
import JobStore
import SageMakerAPI
@testable import ProcessingEngine
import Testing

/// Issue 11 (finding C6): the machine is shared, and the host is never exhausted. Instances' limits are
/// caps inside one shared cgroup that leaves the host a reserve. Serialized, and run alone by `make test`:
/// each test fills much of it.
@Suite("Jobs share the machine, and the host keeps its reserve", .serialized)
struct HostProtectionTests {
    private static let memoryText = "ClientError: Please use an instance type with more memory, or reduce the size of job data processed on an instance."

    /// Creates every request, runs them all at once (a thread each, as the server does) and returns the
    /// final records in the same order.
    private func runAtOnce(_ fixture: EngineFixture, _ requests: [CreateProcessingJobRequest]) throws -> [JobRecord] {
        for request in requests { _ = try fixture.service.createProcessingJob(request) }
        let group = DispatchGroup()
        for request in requests {
            group.enter()
            Thread {
                _ = try? fixture.runner.run(jobNamed: request.processingJobName!)
                group.leave()
            }.start()
        }
        group.wait()
        return try requests.map { try #require(try fixture.root.jobs.job(named: $0.processingJobName!)) }
    }

    private func request(_ fixture: EngineFixture, _ name: String, allocating gibibytes: Int, then script: String = "time.sleep(1)") -> CreateProcessingJobRequest {
        var request = fixture.request(name, script: "/usr/bin/python3 -c 'import time; b = bytearray(\(gibibytes) * 2**30); \(script)'")
        request.processingResources?.clusterConfig?.instanceType = "ml.m5.xlarge"
        return request
    }

    @Test func twentyJobsOf16GiBInstancesEachUsing1GiBAllComplete() throws {
        let fixture = try EngineFixture()
        // 20 × 16 GiB of limits on a machine of about 24: limits are caps, not reservations.
        let jobs = try runAtOnce(fixture, (1...20).map { request(fixture, "small-\($0)", allocating: 1) })
        for job in jobs { #expect(job.status == .completed, "\(job.name): \(job.failureReason ?? "")") }
    }

    @Test func threeJobsTakingTwelveGiBEachAreNotAllAllowedAndTheHostKeepsRunning() throws {
        let fixture = try EngineFixture()
        let machine = MachineSize.current()
        let jobsShare = SharedCgroup.limits(machine: machine, reserve: HostReserve()).memoryBytes
        try #require(3 * (12 << 30) > jobsShare, "this machine would hold all three")
        // A process of the host, outside sagebox, that must live through it. Spawned with no blocked signal
        // and no descriptor of the test's, so the SIGKILL at the end always takes it.
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null) }
        let bystander = try SpawnedProcess.spawn(executable: "/bin/sleep", arguments: ["600"], environment: [:], stdout: null, stderr: null)
        defer {
            kill(bystander.pid, SIGKILL)
            _ = bystander.waitForExit()
        }
        let jobs = try runAtOnce(fixture, (1...3).map { request(fixture, "large-\($0)", allocating: 12, then: "pass") })
        // Each instance's own limit (16 GiB) lets it take 12: only the shared cgroup stops them, and its
        // OOM kill is reported on the job whose process was killed.
        #expect(jobs.contains { $0.status == .failed })
        // Once the others are killed, one 12 GiB job fits: a kill counted on the wrong job would fail it too.
        #expect(jobs.contains { $0.status == .completed })
        for job in jobs {
            #expect(job.status == .completed || job.failureReason == Self.memoryText, "\(job.name): \(job.status) \(job.failureReason ?? "")")
        }
        // Not yet reaped: a bystander that died would be a zombie ("Z" after the command's name).
        let state = (try? String(contentsOfFile: "/proc/\(bystander.pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
        #expect(state.map { $0 != "Z" } == true, "the bystander died")
    }

    @Test func devShmCountsInTheInstancesMemory() throws {
        let fixture = try EngineFixture()
        // ml.t3.medium: 4 GiB. /dev/shm is that size, and what is written there is the instance's memory.
        let script = "df -k /dev/shm | tail -1 | tr -s ' ' | cut -d' ' -f2; head -c 5G /dev/zero > /dev/shm/fill; echo wrote $?"
        let job = try fixture.run(fixture.request("shm", script: script))
        #expect(job.status == .failed)
        #expect(job.failureReason == Self.memoryText)
        #expect(try fixture.logs("shm").first == String(4 << 20))  // KiB
    }

    @Test func aJobRunsInsideTheSharedCgroup() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("where", script: "cat /proc/self/cgroup"))
        #expect(job.status == .completed)
        let membership = CgroupMembership(try fixture.logs("where").joined(separator: "\n"))
        let instance = "/\(CgroupParent.sharedFolderName)/\(job.folder)-algo-1"
        switch try #require(CgroupHierarchy.detect()) {
        case .unified: #expect(membership.paths[""] == instance)
        case .legacy(let controllers):
            for controller in controllers.keys { #expect(membership.paths[controller.rawValue] == instance, "\(controller)") }
        }
    }
}
