import Foundation
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("A job runs inside its instance: its own writable layer, memory of its type, network isolation")
struct SandboxLimitsTests {
    /// Spec §13: the container's file system is writable (the job's own layer), the host never changes,
    /// and sagebox's root stays out of sight.
    @Test func writesOutsideOptMLLandInTheJobsOwnLayerAndTmpIsGoneAfterwards() throws {
        let fixture = try EngineFixture()
        let root = fixture.root.url.path
        // Each ContainerEntrypoint item holds at most 256 characters: the paths come through Environment.
        let script = """
            for t in $TARGETS $ROOT/sagebox-x $ROOT/buckets/lab/x; do (echo x>$t) 2>/dev/null && echo wrote || echo refused; done
            ls -A $ROOT/buckets 2>/dev/null | wc -l; echo s > /tmp/s && echo tmp-ok
            """
        let targets = ["/etc/sagebox-x", "/opt/ml/../sagebox-x", "/root/sagebox-x", "/usr/local/sagebox-x", "/sagebox-x"]
        var request = fixture.request("walls", script: script)
        request.environment = ["ROOT": root, "TARGETS": targets.joined(separator: " ")]
        let job = try fixture.run(request)
        #expect(job.status == .completed)
        #expect(try fixture.logs("walls").map { $0.trimmingCharacters(in: .whitespaces) }
            == Array(repeating: "wrote", count: targets.count) + ["refused", "refused", "0", "tmp-ok"])
        for path in ["/etc/sagebox-x", "/opt/sagebox-x", "/root/sagebox-x", "/usr/local/sagebox-x", "/sagebox-x",
                     "\(root)/sagebox-x", "\(root)/buckets/lab/x"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
        }
        let folder = fixture.root.jobsURL.appending(path: job.folder).appending(path: "algo-1/tmp")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        // A second job starts from the image again: the first one's writes are gone with it.
        let second = try fixture.run(fixture.request("walls-again", script: "cat /etc/sagebox-x /root/sagebox-x 2>/dev/null | wc -l"))
        #expect(second.status == .completed)
        #expect(try fixture.logs("walls-again").map { $0.trimmingCharacters(in: .whitespaces) } == ["0"])
    }

    @Test(arguments: [("ml.t3.medium", 3, "Completed"), ("ml.t3.medium", 6, "Failed"), ("ml.m5.xlarge", 6, "Completed")])
    func memoryFollowsTheInstanceType(type: String, gibibytes: Int, status: String) throws {
        let fixture = try EngineFixture()
        var request = fixture.request("memory-\(gibibytes)", script: "/usr/bin/python3 -c 'bytearray(\(gibibytes) * 2**30)'")
        request.processingResources?.clusterConfig?.instanceType = type
        let job = try fixture.run(request)
        #expect(job.status.rawValue == status)
        if status == "Failed" {
            #expect(job.failureReason == "ClientError: Please use an instance type with more memory, or reduce the size of job data processed on an instance.")
        }
    }

    @Test func fourSpinningThreadsUseAtMostTheInstancesVCPUs() throws {
        let fixture = try EngineFixture()
        // Two ml.t3.medium instances: each is capped at its type's 2 vCPUs or the machine's CPUs, not at a
        // division of the machine (limits overcommit; the scheduler shares the CPUs between them).
        // (The quota itself is shown at the cgroup level with a 0.5 CPU cap, in Limits/CgroupCPUTests.)
        let machine = ProcessInfo.processInfo.activeProcessorCount
        let script = "for i in 1 2 3 4; do timeout 2 sh -c 'while :; do :; done' & done; wait"
        let job = try fixture.run(fixture.request("spinner", script: script, instanceCount: 2))
        #expect(job.status == .completed)
        let notes = try fixture.root.jobs.events(jobId: job.id!).map(\.message).filter { $0.contains("CPU-seconds") }
        #expect(notes.count == 2)
        for note in notes {
            let numbers = note.split(separator: " ").compactMap { Double($0) }  // CPU-seconds, wall seconds, limit
            let (cpu, wall, limit) = (numbers[0], numbers[1], numbers[2])
            #expect(limit == min(2, Double(machine)))
            #expect(cpu > 0.2, "\(note)")  // the threads did spin
            #expect(cpu / wall <= limit * 1.15, "\(note)")
        }
    }

    @Test func writingPastVolumeSizeInGBFailsWithTheVolumeTextAndTheDiskIsNotFilled() throws {
        let fixture = try EngineFixture()
        let script = "head -c 2G /dev/zero > /opt/ml/processing/out/big; status=$?; df -k /opt/ml | tail -1; exit $status"
        let request = fixture.request("volume", script: script,
                                      outputs: [fixture.output("out", uri: "s3://lab/big/", localPath: "/opt/ml/processing/out")])
        let job = try fixture.run(request)  // the fixture's VolumeSizeInGB is 1
        #expect(job.status == .failed)
        #expect(job.failureReason == "ClientError: No space left on device. Please use a larger VolumeSizeInGB.")
        #expect(try fixture.logs("volume").contains { $0.contains("No space left on device") })
        // The volume and what was written on it are gone; the host's disk holds no 1 GiB more.
        #expect(FolderUsage.allocatedBytes(under: fixture.root.url) < 256 << 20)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.jobsURL.appending(path: job.folder).appending(path: "algo-1/volume.img").path))
    }


    /// Issue 11, E5: the job's own network namespace. Without isolation it reaches the sagebox endpoint at
    /// the URL in AWS_ENDPOINT_URL and no other service on the host's loopback, nor an abstract Unix socket
    /// of the host; with isolation, nothing.
    @Test(arguments: [false, true])
    func aJobReachesTheEndpointButNoOtherHostServiceAndNothingWhenIsolated(isolated: Bool) throws {
        let endpoint = try LoopbackListener(), other = try LoopbackListener(), abstract = try AbstractSocketListener()
        defer { endpoint.close(); other.close(); abstract.close() }
        let fixture = try EngineFixture()
        var settings = RunnerSettings(launcher: RunnerSettings.findLauncher(), pythonEnvironment: nil)
        settings.endpoint = "http://127.0.0.1:\(endpoint.port)"
        let runner = JobRunner(root: fixture.root, settings: settings)
        let name = "network-\(isolated)"
        let probe = """
            import os, socket
            def reach(family, address):
                try: socket.create_connection(address, 2) if family == socket.AF_INET else socket.socket(family).connect(address); return "connected"
                except OSError: return "refused"
            port = int(os.environ["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
            print(reach(socket.AF_INET, ("127.0.0.1", port)), reach(socket.AF_INET, ("127.0.0.1", int(os.environ["OTHER"]))),
                  reach(socket.AF_UNIX, "\\0" + os.environ["ABSTRACT"]))
            """
        try fixture.put("code/probe.py", probe)
        var request = fixture.request(name, script: "unused",
                                      inputs: [fixture.input("code", uri: "s3://lab/code/probe.py", localPath: "/opt/ml/processing/code")])
        request.appSpecification?.containerEntrypoint = ["/usr/bin/python3", "/opt/ml/processing/code/probe.py"]
        request.environment = ["OTHER": String(other.port), "ABSTRACT": abstract.name]
        var network = NetworkConfig()
        network.enableNetworkIsolation = isolated
        request.networkConfig = network
        _ = try fixture.service.createProcessingJob(request)
        #expect(try runner.run(jobNamed: name).status == .completed)
        #expect(try fixture.logs(name) == [isolated ? "refused refused refused" : "connected refused refused"])
    }
}

/// A listening Unix socket in the abstract namespace, which belongs to a network namespace.
struct AbstractSocketListener {
    let fd: Int32
    let name = "sagebox-test-\(UUID().uuidString)"

    init() throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index + 1] = byte }  // path[0] == 0: abstract
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + bytes.count)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    func close() { _ = Glibc.close(fd) }
}

/// A TCP listener on 127.0.0.1 in the test's own network namespace (connections are never accepted; the
/// kernel completes the handshake from the backlog).
struct LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(fd) }
}
