import Foundation
import ProcessingEngine
import Testing

@Suite("Each job sees only its own /opt/ml")
struct IsolationTests {
    @Test func twoJobsRunningAtOnceEachSeeOnlyTheirOwnOptML() async throws {
        let hostHadOptML = FileManager.default.fileExists(atPath: "/opt/ml")
        let fixture = try EngineFixture()
        // Each job writes its marker, waits for the other to have written its own, then lists /opt/ml/processing.
        let script = """
            touch /opt/ml/processing/out/$MARK; sleep 1; ls /opt/ml/processing/out; ls /opt/ml/processing
            """
        var first = fixture.request("first", script: script, outputs: [fixture.output("out", uri: "s3://lab/first/", localPath: "/opt/ml/processing/out")])
        first.environment = ["MARK": "first"]
        var second = fixture.request("second", script: script, outputs: [fixture.output("out", uri: "s3://lab/second/", localPath: "/opt/ml/processing/out")])
        second.environment = ["MARK": "second"]
        async let a = Task.detached { try fixture.run(first) }.value
        async let b = Task.detached { try fixture.run(second) }.value
        let (jobA, jobB) = try await (a, b)
        #expect(jobA.status == "Completed" && jobB.status == "Completed")
        #expect(try fixture.logs("first") == ["first", "out"])
        #expect(try fixture.logs("second") == ["second", "out"])
        #expect(FileManager.default.fileExists(atPath: "/opt/ml") == hostHadOptML)
    }

    @Test func theJobCannotSeeSageboxsRoot() throws {
        let fixture = try EngineFixture()
        try fixture.put("secret.txt", "s")
        let rootPath = fixture.root.url.path
        let script = "test -e '\(rootPath)/sagebox.sqlite' && echo visible || echo hidden; ls -A /tmp | wc -l"
        let job = try fixture.run(fixture.request("peek", script: script))
        #expect(job.status == "Completed")
        // The root is hidden, and the job's /tmp is its own, empty one.
        #expect(try fixture.logs("peek").map { $0.trimmingCharacters(in: .whitespaces) } == ["hidden", "0"])
    }
}
