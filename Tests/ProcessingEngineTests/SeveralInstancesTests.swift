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
        #expect(try fixture.run(request).status == "Completed")
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
        #expect(try fixture.run(request).status == "Completed")
        let counts = try (1...4).map { try fixture.text("few-counts/algo-\($0)").trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(counts == ["1", "1", "0", "0"])
    }

    @Test func anAppManagedInputStagesNothing() throws {
        let fixture = try EngineFixture()
        try fixture.put("own/x", "x")
        var input = fixture.input("data", uri: "s3://lab/own/", localPath: "/opt/ml/processing/input/own")
        input.appManaged = true
        let request = fixture.request("app-managed", script: "test -e /opt/ml/processing/input/own/x && echo staged || echo not-staged", inputs: [input])
        #expect(try fixture.run(request).status == "Completed")
        #expect(try fixture.logs("app-managed") == ["not-staged"])
    }

    @Test func theExitMessageJoinsTheHostsMessagesInHostOrder() throws {
        let fixture = try EngineFixture()
        // Hosts finish in reverse order; the message still follows host order.
        let script = host + "N=${H#algo-}; sleep $((4 - N))e-1; printf \"[$H]\" > /opt/ml/output/message"
        let job = try fixture.run(fixture.request("messages", script: script, instanceCount: 3))
        #expect(job.status == "Completed")
        #expect(job.exitMessage == "[algo-1][algo-2][algo-3]")
    }
}
