import Foundation
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Several instances")
struct SeveralInstancesTests {
    /// The script prefix that puts the instance's host name in $H.
    private let host = #"H=$(sed -n 's/.*"current_host" *: *"\([^"]*\)".*/\1/p' /opt/ml/config/resourceconfig.json); "#

    @Test func fullyReplicatedGivesEveryHostEveryObject() throws {
        let fixture = try EngineFixture()
        for index in 0..<10 { try fixture.put("all/part-\(index)", "\(index)") }
        let request = fixture.request(
            "replicated", script: host + "ls /opt/ml/processing/input | wc -l > /opt/ml/processing/out/$H",
            inputs: [fixture.input("data", uri: "s3://lab/all/", localPath: "/opt/ml/processing/input", distribution: "FullyReplicated")],
            outputs: [fixture.output("out", uri: "s3://lab/replicated/", localPath: "/opt/ml/processing/out")], instanceCount: 4)
        #expect(try fixture.run(request).status == .completed)
        let counts = try (1...4).map { try fixture.text("replicated/algo-\($0)").trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(counts == ["10", "10", "10", "10"])
    }

    @Test func aHostThatGetsNoShardGetsAnEmptyFolder() throws {
        let fixture = try EngineFixture()
        for index in 0..<2 { try fixture.put("few/part-\(index)", "\(index)") }
        let request = fixture.request(
            "few-shards", script: host + "test -d /opt/ml/processing/input && ls /opt/ml/processing/input | wc -l > /opt/ml/processing/out/$H",
            inputs: [fixture.input("data", uri: "s3://lab/few/", localPath: "/opt/ml/processing/input", distribution: "ShardedByS3Key")],
            outputs: [fixture.output("out", uri: "s3://lab/few-counts/", localPath: "/opt/ml/processing/out")], instanceCount: 4)
        #expect(try fixture.run(request).status == .completed)
        let counts = try (1...4).map { try fixture.text("few-counts/algo-\($0)").trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(counts == ["1", "1", "0", "0"])
    }

    @Test func anAppManagedInputStagesNothing() throws {
        let fixture = try EngineFixture()
        try fixture.put("own/x", "x")
        var input = fixture.input("data", uri: "s3://lab/own/", localPath: "/opt/ml/processing/input/own")
        input.appManaged = true
        let request = fixture.request("app-managed", script: "test -e /opt/ml/processing/input/own/x && echo staged || echo not-staged", inputs: [input])
        #expect(try fixture.run(request).status == .completed)
        #expect(try fixture.logs("app-managed") == ["not-staged"])
    }

    @Test func theExitMessageJoinsTheHostsMessagesInHostOrder() throws {
        let fixture = try EngineFixture()
        // Hosts finish in reverse order; the message still follows host order.
        let script = host + "N=${H#algo-}; sleep $((4 - N))e-1; printf \"[$H]\" > /opt/ml/output/message"
        let job = try fixture.run(fixture.request("messages", script: script, instanceCount: 3))
        #expect(job.status == .completed)
        #expect(job.exitMessage == "[algo-1][algo-2][algo-3]")
    }

    /// algo-1 serves on a TCP port at its own name; algo-2 connects to `algo-1` by name (retrying while
    /// algo-1 starts, as SageMaker's docs advise). Each writes its `hostname` and what both names resolve to.
    private static let rendezvous = """
        import socket, subprocess, sys, time
        host = subprocess.check_output(["hostname"], text=True).strip()
        port = int(sys.argv[1])
        lines = [host, socket.gethostbyname("algo-1"), socket.gethostbyname("algo-2")]
        if host == "algo-1":
            server = socket.create_server(("algo-1", port))
            server.settimeout(60)
            connection, _ = server.accept()
            lines.append("received " + connection.makefile().read())
        else:
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = socket.create_connection(("algo-1", port), timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            connection.sendall(("hello from " + host).encode())
            lines.append("sent")
        connection.close()
        open("/opt/ml/processing/out/" + host, "w").write("\\n".join(lines) + "\\n")
        """

    @Test func eachHostIsNamedAlgoNAndReachesTheOthersByName() throws {
        let fixture = try EngineFixture()
        let port = try FreePort.find()
        try fixture.put("code/rendezvous.py", Self.rendezvous)  // an entrypoint member holds at most 256 characters
        let request = fixture.request(
            "rendezvous", script: "exec python3 /opt/ml/processing/code/rendezvous.py \(port)",
            inputs: [fixture.input("code", uri: "s3://lab/code/", localPath: "/opt/ml/processing/code")],
            outputs: [fixture.output("out", uri: "s3://lab/rendezvous/", localPath: "/opt/ml/processing/out")], instanceCount: 2)
        let job = try fixture.run(request)
        let logs = try fixture.logs("rendezvous")
        #expect(job.status == .completed, "\(job.failureReason ?? "") \(logs)")
        #expect(try fixture.text("rendezvous/algo-1") == "algo-1\n127.0.0.2\n127.0.0.3\nreceived hello from algo-2\n")
        #expect(try fixture.text("rendezvous/algo-2") == "algo-2\n127.0.0.2\n127.0.0.3\nsent\n")
    }
}
