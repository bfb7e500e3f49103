import Foundation
import Testing

/// Issue 11 (C6) when sagebox runs as a normal user: the shared cgroup is made inside the cgroups
/// delegated to the user, and its limits leave the host its reserve. Jobs go through `sagebox serve`
/// (run as the user) over HTTP with boto3, all at once. Serialized, and run alone by `make test` (its
/// `--skip HostProtectionTests` and its own `--filter NormalUserHostProtectionTests`): each test fills
/// much of the machine.
@Suite("Jobs share the machine as a normal user, and the host keeps its reserve", .serialized, .timeLimit(.minutes(10)))
struct NormalUserHostProtectionTests {
    private static let memoryText = "ClientError: Please use an instance type with more memory, or reduce the size of job data processed on an instance."

    /// ml.m5.xlarge jobs (16 GiB each) that each allocate `gibibytes`, then `then`.
    private func requests(_ prefix: String, count: Int, allocating gibibytes: Int, then: String) -> String {
        let requests = (1...count).map { index in
            NormalUser.job("\(prefix)-\(index)", ["/usr/bin/python3", "-c", "import time; b = bytearray(\(gibibytes) * 2**30); \(then)"],
                           type: "ml.m5.xlarge")
        }
        return "[" + requests.joined(separator: ",") + "]"
    }

    /// Creates every request at once through the user's server, waits for each, and returns their
    /// statuses and failure reasons in order.
    private func runAtOnce(_ url: String, _ requests: String) throws -> [(status: String, reason: String?)] {
        let client = """
            requests = json.loads(sys.argv[2])
            for request in requests:
                sm.create_processing_job(**request)
            jobs = [wait(request["ProcessingJobName"]) for request in requests]
            print(json.dumps([[job["ProcessingJobStatus"], job.get("FailureReason")] for job in jobs]))
            """
        let result = try NormalUser.boto3(url, client, requests)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]])
        return answers.map { ($0.first as? String ?? "?", $0.last as? String) }
    }

    @Test func twentyJobsOf16GiBInstancesEachUsing1GiBAllComplete() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let (server, url) = try user.serve()
        defer { NormalUser.stop(server) }
        // 20 × 16 GiB of limits on a machine of about 24: limits are caps, not reservations.
        let jobs = try runAtOnce(url, requests("small", count: 20, allocating: 1, then: "time.sleep(1)"))
        #expect(jobs.count == 20)
        for (index, job) in jobs.enumerated() { #expect(job.status == "Completed", "small-\(index + 1): \(job.reason ?? "")") }
        #expect(server.isRunning)
    }

    @Test func threeJobsTakingTwelveGiBEachAreNotAllAllowedAndTheHostKeepsRunning() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let (server, url) = try user.serve()
        defer { NormalUser.stop(server) }
        // A process of the user's, outside the jobs' shared cgroup, that must live through it.
        let bystander = try user.spawn(["/bin/sleep", "600"])
        defer { NormalUser.stop(bystander) }
        let jobs = try runAtOnce(url, requests("large", count: 3, allocating: 12, then: "pass"))
        // The shared cgroup sagebox made as the user, inside the delegated one, and its memory limit.
        let share = try #require(sharedMemoryLimit(user), "no shared cgroup in \(user.cgroup.folders)")
        #expect(3 * (12 << 30) > share, "this machine would hold all three")
        // Each instance's own limit (16 GiB) lets it take 12: only the shared cgroup stops them, and its
        // OOM kill is reported on the job whose process was killed.
        #expect(jobs.contains { $0.status == "Failed" })
        #expect(jobs.contains { $0.status == "Completed" })
        for (index, job) in jobs.enumerated() {
            #expect(job.status == "Completed" || job.reason == Self.memoryText, "large-\(index + 1): \(job.status) \(job.reason ?? "")")
        }
        #expect(server.isRunning, "the user's server lived through it")
        #expect(bystander.isRunning, "the user's other process lived through it")
    }

    @Test func devShmCountsInTheInstancesMemory() throws {
        let user = try NormalUser()
        defer { user.remove() }
        // ml.t3.medium: 4 GiB. /dev/shm is that size, and what is written there is the instance's memory.
        let script = "df -k /dev/shm | tail -1 | tr -s ' ' | cut -d' ' -f2; head -c 5G /dev/zero > /dev/shm/fill; echo wrote $?"
        _ = try user.run(NormalUser.job("shm", ["/bin/sh", "-c", script]))
        let job = try user.describe("shm")
        #expect(job["ProcessingJobStatus"] as? String == "Failed")
        #expect(job["FailureReason"] as? String == Self.memoryText)
        #expect(try user.logLines("shm").first == String(4 << 20))  // KiB
    }

    /// The instance's cgroups are inside the shared `sagebox` cgroup, itself inside the delegated ones.
    @Test func aJobRunsInsideTheSharedCgroupInsideTheDelegatedOne() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.run(NormalUser.job("where", ["/bin/cat", "/proc/self/cgroup"])).status == 0)
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: user.root.appending(path: "jobs").path).first)
        let lines = try user.logLines("where")
        let delegated = try #require(user.cgroup.folders.first?.lastPathComponent)
        for controller in ["memory", "pids"] {
            let line = lines.first { $0.split(separator: ":", maxSplits: 2).dropFirst().first?.split(separator: ",").contains(Substring(controller)) == true }
                ?? lines.first { $0.hasPrefix("0::") }
            #expect(line?.hasSuffix("/\(delegated)/sagebox/\(folder)-algo-1") == true, "\(controller): \(lines)")
        }
    }

    /// `--host-reserve` and `--host-reserve-pids` as the user: the shared cgroup in the delegated one
    /// leaves the host that much memory and that many PIDs.
    @Test func theSharedCgroupInsideTheDelegatedOneLeavesTheHostItsReserve() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let result = try user.run(NormalUser.job("reserve", ["/bin/true"]), "--host-reserve", "4G", "--host-reserve-pids", "1000")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let kernel = ["pid_max", "threads-max"].compactMap { try? String(contentsOfFile: "/proc/sys/kernel/\($0)", encoding: .utf8) }
            .compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let pids = user.cgroup.folders.compactMap { try? String(contentsOf: $0.appending(path: "sagebox/pids.max"), encoding: .utf8) }
        #expect(pids.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == ["\(try #require(kernel.min()) - 1000)"])
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let total = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }?.split(separator: " ").dropFirst().first
            .flatMap { UInt64($0) }) * 1024
        // v1 rounds the limit down to whole pages.
        let memory = try #require(sharedMemoryLimit(user))
        #expect(memory <= total - (4 << 30) && memory > total - (4 << 30) - 4096, "\(memory) of \(total)")
    }

    /// The memory limit of the shared `sagebox` cgroup inside the user's delegated cgroups (v1 or v2).
    private func sharedMemoryLimit(_ user: NormalUser) -> UInt64? {
        for folder in user.cgroup.folders {
            for file in ["memory.limit_in_bytes", "memory.max"] {
                let text = try? String(contentsOf: folder.appending(path: "sagebox/\(file)"), encoding: .utf8)
                if let limit = text.flatMap({ UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) { return limit }
            }
        }
        return nil
    }
}
