import Foundation
import Testing

/// The sandbox's guarantees (issue 3) when sagebox runs as a normal user: the launcher isolates the job
/// in a user namespace, the instance's cgroups go inside the cgroups delegated to the user, and its volume
/// is mounted with fuse2fs. Each test runs `sagebox` as the user made by `NormalUser`.
@Suite("The sandbox when sagebox runs as a normal user", .serialized)
struct NormalUserSandboxTests {
    /// Spec §13: what the job writes outside /opt/ml lands in its own layer, never on the host; sagebox's
    /// root stays out of sight.
    @Test func writesOutsideOptMLStayInTheJobsLayerAndTheFakeS3IsNotVisible() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        let root = user.root.path
        // Each ContainerEntrypoint item holds at most 256 characters: the paths come through Environment.
        let script = """
            for t in $TARGETS; do (echo x > "$t") 2>/dev/null && echo "wrote $t" || echo refused; done
            ls -A "$ROOT/buckets" 2>/dev/null | wc -l; ls -A /tmp | wc -l; echo s > /tmp/s && echo tmp-ok
            """
        let targets = "/etc/sagebox-x /opt/ml/../sagebox-x /root/sagebox-x \(root)/sagebox-x \(root)/buckets/lab/x"
        let environment = #", "Environment": {"ROOT": "\#(root)", "TARGETS": "\#(targets)"}"#
        let result = try user.run(NormalUser.job("walls", ["/bin/sh", "-c", script], extra: environment))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let logs = try user.logLines("walls")
        #expect(logs == ["wrote /etc/sagebox-x", "wrote /opt/ml/../sagebox-x", "wrote /root/sagebox-x", "refused", "refused",
                         "0", "0", "tmp-ok"], "\(logs)")
        for path in ["/etc/sagebox-x", "/opt/sagebox-x", "/root/sagebox-x", "\(root)/sagebox-x", "\(root)/buckets/lab/x"] {
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        let jobs = try FileManager.default.contentsOfDirectory(atPath: "\(root)/jobs")
        #expect(jobs.allSatisfy { !FileManager.default.fileExists(atPath: "\(root)/jobs/\($0)/algo-1/volume/tmp") })
    }

    @Test(arguments: [("ml.t3.medium", 3, "Completed"), ("ml.t3.medium", 6, "Failed"), ("ml.m5.xlarge", 6, "Completed")])
    func memoryFollowsTheInstanceType(type: String, gibibytes: Int, status: String) throws {
        let user = try NormalUser()
        defer { user.remove() }
        let name = "memory-\(gibibytes)"
        _ = try user.run(NormalUser.job(name, ["/usr/bin/python3", "-c", "bytearray(\(gibibytes) * 2**30)"], type: type))
        let described = try user.describe(name)
        #expect(described["ProcessingJobStatus"] as? String == status)
        if status == "Failed" {
            #expect(described["FailureReason"] as? String
                == "ClientError: Please use an instance type with more memory, or reduce the size of job data processed on an instance.")
        }
        // The limit came from a cgroup sagebox made as the user, which says what the instance used.
        #expect(try user.sagebox("describe", name, "--events").stdout.contains("CPU-seconds"))
    }

    @Test func fourSpinningThreadsUseAtMostTheInstancesVCPUs() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let script = "for i in 1 2 3 4; do timeout 2 sh -c 'while :; do :; done' & done; wait"
        #expect(try user.run(NormalUser.job("spinner", ["/bin/sh", "-c", script])).status == 0)
        let timeline = try user.sagebox("describe", "spinner", "--events").stdout
        let note = try #require(timeline.split(separator: "\n").first { $0.contains("CPU-seconds") })
        let numbers = note.split(separator: " ").compactMap { Double($0) }.suffix(3)  // CPU-seconds, wall seconds, limit
        let (cpu, wall, limit) = (numbers[numbers.startIndex], numbers[numbers.startIndex + 1], numbers[numbers.startIndex + 2])
        #expect(limit <= 2)  // ml.t3.medium's 2 vCPUs, or less on a smaller machine
        #expect(cpu > 0.2, "\(note)")  // the threads did spin
        #expect(cpu / wall <= limit * 1.15, "\(note)")
    }

    @Test func writingPastVolumeSizeInGBFailsWithTheVolumeTextAndTheDiskIsNotFilled() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let script = "head -c 2G /dev/zero > /opt/ml/processing/out/big; status=$?; df -k /opt/ml | tail -1; exit $status"
        _ = try user.run(NormalUser.job("volume", ["/bin/sh", "-c", script], extra: NormalUser.output("s3://lab/big/", "/opt/ml/processing/out")))
        let described = try user.describe("volume")
        #expect(described["ProcessingJobStatus"] as? String == "Failed")
        #expect(described["FailureReason"] as? String == "ClientError: No space left on device. Please use a larger VolumeSizeInGB.")
        #expect(try user.sagebox("logs", "volume").stdout.contains("No space left on device"))
        #expect(try user.allocatedKiB() < 256 << 10, "what the job wrote is gone with its volume")
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        #expect(!mounts.contains(user.root.path))
    }

    /// Issue 11, E5: a job's network namespace is its own, isolated or not: a service on the host's
    /// loopback is out of reach (only the sagebox endpoint is relayed, and `run` has none).
    @Test(arguments: [false, true])
    func aJobReachesNoServiceOnTheHostsLoopback(isolated: Bool) throws {
        let user = try NormalUser()
        defer { user.remove() }
        let listener = try HostListener()
        defer { listener.close() }
        let name = "network-\(isolated)"
        let script = "/usr/bin/python3 -c \"import socket; socket.create_connection(('127.0.0.1', \(listener.port)), 2)\" 2>/dev/null && echo connected || echo refused"
        let network = #", "NetworkConfig": {"EnableNetworkIsolation": \#(isolated)}"#
        #expect(try user.run(NormalUser.job(name, ["/bin/sh", "-c", script], extra: network)).status == 0)
        #expect(try user.logLines(name) == ["refused"])
    }

    /// Issue 11, E5 through the user's `sagebox serve`: the job reaches the endpoint at AWS_ENDPOINT_URL
    /// (relayed into its own network) and no other service on the host's loopback.
    @Test func aJobOfTheUsersServerReachesItsEndpointAndNoOtherHostService() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let (server, url) = try user.serve()
        defer { NormalUser.stop(server) }
        let listener = try HostListener()
        defer { listener.close() }
        // Any HTTP answer from the endpoint (an S3 ListBuckets without credentials) shows it was reached.
        let probe = "import os, urllib.request as r, urllib.error as e\ntry: r.urlopen(os.environ['AWS_ENDPOINT_URL'], timeout=5)\nexcept e.HTTPError: pass"
        let script = "python3 -c \"$E\" && echo endpoint-reached; "
            + "python3 -c \"import socket; socket.create_connection(('127.0.0.1', $P), 2)\" 2>/dev/null && echo reached || echo refused"
        let environment = String(decoding: try JSONEncoder().encode(["P": "\(listener.port)", "E": probe]), as: UTF8.self)
        let request = NormalUser.job("endpoint", ["/bin/sh", "-c", script], extra: #", "Environment": \#(environment)"#)
        let client = """
            request = json.loads(sys.argv[2])
            sm.create_processing_job(**request)
            print(wait(request["ProcessingJobName"])["ProcessingJobStatus"])
            """
        let result = try NormalUser.boto3(url, client, request)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Completed", "\(result.stdout)\(result.stderr)")
        #expect(try user.logLines("endpoint") == ["endpoint-reached", "refused"])
    }

    @Test func maxRuntimeStopsTheJobAndAJobTrappingSIGTERMKeepsItsFile() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let marker = "600.\(Int.random(in: 100_000...999_999))"  // a sleep duration no other process has
        let runtime = #", "StoppingCondition": {"MaxRuntimeInSeconds": 2}"#
        let clock = ContinuousClock.now
        _ = try user.run(NormalUser.job("sleeper", ["/bin/sh", "-c", "trap '' TERM; sleep \(marker) & wait"], extra: runtime), "--stop-grace", "1")
        #expect(try user.describe("sleeper")["ProcessingJobStatus"] as? String == "Stopped")
        #expect(ContinuousClock.now - clock < .seconds(30))
        #expect(!commandLines().contains { $0.contains(marker) })

        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        let trapper = "trap 'echo saved > /opt/ml/processing/out/checkpoint; exit 0' TERM; while true; do sleep 0.1; done"
        _ = try user.run(NormalUser.job("trapper", ["/bin/sh", "-c", trapper], extra: runtime + NormalUser.output("s3://lab/trapped/", "/opt/ml/processing/out")),
                    "--stop-grace", "5", "--upload-on-failure")
        #expect(try user.describe("trapper")["ProcessingJobStatus"] as? String == "Stopped")
        let copy = user.home.appending(path: "checkpoint")
        #expect(try user.sagebox("s3", "cp", "s3://lab/trapped/checkpoint", copy.path).status == 0)
        #expect(try String(contentsOf: copy, encoding: .utf8) == "saved\n")
    }

    /// Seed 001's shape (the script's input inside the data's), with an output inside the data's folder
    /// too: the overlay and the binds over it work in the user namespace, on a fuse2fs volume.
    @Test func nestedInputsAndAnOutputInsideAnInputWork() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        #expect(try user.sagebox("s3", "cp", try user.file("mock_data.csv", "id\n1\n"), "s3://lab/input/mock_data.csv").status == 0)
        #expect(try user.sagebox("s3", "cp", try user.file("run.sh", "echo ran\n"), "s3://lab/scripts/run.sh").status == 0)
        let inputs = [("input-data", "s3://lab/input/", "/opt/ml/processing/input"),
                      ("code", "s3://lab/scripts/run.sh", "/opt/ml/processing/input/code")].map { name, uri, path in
            #"{"InputName": "\#(name)", "S3Input": {"S3Uri": "\#(uri)", "LocalPath": "\#(path)", "S3DataType": "S3Prefix", "S3InputMode": "File"}}"#
        }
        let extra = #", "ProcessingInputs": [\#(inputs.joined(separator: ", "))]"# + NormalUser.output("s3://lab/got/", "/opt/ml/processing/input/results")
        let script = "cd /opt/ml/processing/input && sh code/run.sh && cat mock_data.csv > results/copy.csv && echo x > mock_data.csv"
        let result = try user.run(NormalUser.job("nested", ["/bin/sh", "-c", script], extra: extra))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try user.logLines("nested") == ["ran"])
        let copy = user.home.appending(path: "copy.csv")
        #expect(try user.sagebox("s3", "cp", "s3://lab/got/copy.csv", copy.path).status == 0)
        #expect(try String(contentsOf: copy, encoding: .utf8) == "id\n1\n")
        let original = user.home.appending(path: "original.csv")
        #expect(try user.sagebox("s3", "cp", "s3://lab/input/mock_data.csv", original.path).status == 0)
        #expect(try String(contentsOf: original, encoding: .utf8) == "id\n1\n")
    }

    /// The job's own PID namespace in the user namespace: its /proc shows only its processes, and the
    /// user's other processes (sagebox's, here the test's `sleep`) cannot be signalled from it.
    @Test func aJobSeesAndSignalsOnlyItsOwnProcesses() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let sleeper = Process()
        sleeper.executableURL = URL(filePath: "/usr/bin/setpriv")
        sleeper.arguments = ["--reuid", "\(user.uid)", "--regid", "\(user.gid)", "--clear-groups", "/bin/sleep", "60"]
        try sleeper.run()
        defer { kill(sleeper.processIdentifier, SIGKILL); sleeper.waitUntilExit() }  // SIGTERM may come blocked from the test runner
        let script = "ls -d /proc/[0-9]* | wc -l; kill -9 \(sleeper.processIdentifier) 2>/dev/null && echo killed || echo refused"
        #expect(try user.run(NormalUser.job("own-processes", ["/bin/sh", "-c", script])).status == 0)
        let logs = try user.logLines("own-processes")
        #expect(logs.count == 2 && (Int(logs[0]) ?? .max) <= 5 && logs[1] == "refused", "\(logs)")
        #expect(sleeper.isRunning, "the user's own host process survived")
    }

    /// Issue 11's host-side and container policies as a normal user: an output folder swapped for a link to
    /// a folder of the user's own uploads nothing from it and leaves it, and the job writes `/` and `/root`
    /// in its own layer, never on the host.
    @Test func anOutputSwappedForALinkAndWritesToTheRootStayInsideTheJob() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        let victim = user.home.appending(path: "victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        let secret = URL(filePath: try user.file("victim/secret.txt", "mine\n"))
        chown(victim.path, user.uid, user.gid)
        let marker = "sagebox-written-\(UUID().uuidString.prefix(8))"
        let script = "rm -rf /opt/ml/processing/out && ln -s $VICTIM /opt/ml/processing/out; echo x > /$M && echo y > /root/$M && cat /$M /root/$M"
        let extra = #", "Environment": {"VICTIM": "\#(victim.path)", "M": "\#(marker)"}"# + NormalUser.output("s3://lab/out/", "/opt/ml/processing/out")
        let result = try user.run(NormalUser.job("swap", ["/bin/sh", "-c", script], extra: extra))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try user.logLines("swap") == ["x", "y"])
        #expect(try String(contentsOf: secret, encoding: .utf8) == "mine\n")
        #expect(try user.sagebox("s3", "ls", "--recursive", "s3://lab/").stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/\(marker)") && !FileManager.default.fileExists(atPath: "/root/\(marker)"))
    }

    /// Issue 11's E1 and E6 as a normal user: a Pipe FIFO swapped for a link to the user's file, a
    /// Continuous output folder swapped for a link to the user's folder and an ExitMessage linked to the
    /// user's file leave them unchanged and unread.
    @Test func linksTheJobMakesAreNeverFollowed() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        #expect(try user.sagebox("s3", "cp", try user.file("stream.txt", String(repeating: "bytes\n", count: 1000)),
                                 "s3://lab/stream/data").status == 0)
        let victim = user.home.appending(path: "victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        let secret = URL(filePath: try user.file("victim/secret.txt", "mine\n"))
        chown(victim.path, user.uid, user.gid)
        let pipe = #"{"InputName": "stream", "S3Input": {"S3Uri": "s3://lab/stream/", "LocalPath": "/opt/ml/processing/input", "S3DataType": "S3Prefix", "S3InputMode": "Pipe"}}"#
        let continuous = #"{"OutputName": "live", "S3Output": {"S3Uri": "s3://lab/live/", "LocalPath": "/opt/ml/processing/live", "S3UploadMode": "Continuous"}}"#
        let extra = #", "ProcessingInputs": [\#(pipe)], "ProcessingOutputConfig": {"Outputs": [\#(continuous)]}, "Environment": {"V": "\#(victim.path)"}"#
        let script = "rm /opt/ml/processing/input_0 && ln -s $V/secret.txt /opt/ml/processing/input_0 && rm -rf /opt/ml/processing/live"
            + " && ln -s $V /opt/ml/processing/live && ln -s $V/secret.txt /opt/ml/output/message && sleep 1"
        #expect(try user.run(NormalUser.job("links", ["/bin/sh", "-c", script], extra: extra)).status == 0)
        #expect(try user.describe("links")["ExitMessage"] == nil)
        #expect(try String(contentsOf: secret, encoding: .utf8) == "mine\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim.path) == ["secret.txt"])
        #expect(try user.sagebox("s3", "ls", "--recursive", "s3://lab/live/").stdout.isEmpty)
    }

    /// Links, FIFOs and sockets the job leaves in an output (on its fuse2fs volume) are not uploaded, and
    /// the timeline names each; a Pipe FIFO the job replaced by a file of its own is not written into.
    @Test func linksFIFOsAndSocketsInOutputsAreNamedOnTheTimelineAndNotUploaded() throws {
        let user = try NormalUser()
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        #expect(try user.sagebox("s3", "cp", try user.file("stream.txt", "input bytes\n"), "s3://lab/stream/data").status == 0)
        let pipe = #"{"InputName": "stream", "S3Input": {"S3Uri": "s3://lab/stream/", "LocalPath": "/opt/ml/processing/input", "S3DataType": "S3Prefix", "S3InputMode": "Pipe"}}"#
        let script = "I=/opt/ml/processing/input_0; rm $I && : > $I && cd /opt/ml/processing/output && echo ok > real.txt && ln -s /etc/hostname link "
            + "&& mkfifo fifo && python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('sock')\" && sleep 1 && wc -c < $I"
        let extra = #", "ProcessingInputs": [\#(pipe)]"# + NormalUser.output("s3://lab/passed/", "/opt/ml/processing/output")
        let result = try user.run(NormalUser.job("passed-over", ["/bin/sh", "-c", script], extra: extra))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try user.logLines("passed-over") == ["0"])
        #expect(try user.sagebox("s3", "ls", "--recursive", "s3://lab/passed/").stdout.contains("passed/real.txt"))
        #expect(try user.sagebox("s3", "ls", "--recursive", "s3://lab/passed/").stdout.split(separator: "\n").count == 1)
        let notes = try user.timeline("passed-over").split(separator: "\n").filter { $0.contains("Not uploaded from") }
        #expect(notes.map { $0.components(separatedBy: "Not uploaded from ").last ?? "" }
            == ["/opt/ml/processing/output: fifo (a FIFO)", "/opt/ml/processing/output: link (a symbolic link)",
                "/opt/ml/processing/output: sock (a socket)"], "\(notes)")
    }

    private func commandLines() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard Int(entry) != nil, let raw = try? Data(contentsOf: URL(filePath: "/proc/\(entry)/cmdline")) else { return nil }
            return String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        }
    }
}
