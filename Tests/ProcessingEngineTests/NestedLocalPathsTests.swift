import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// Real jobs whose LocalPaths nest (spec §12 "Nested LocalPaths") and whose S3Prefix URIs take each of
/// the four shapes of the local-path rule (spec §12 "S3Prefix").
@Suite("Nested LocalPaths and the S3Prefix rule")
struct NestedLocalPathsTests {
    private let listing = "cd /opt/ml/processing && find . -type f -o -type p | sort"

    private func timeline(_ fixture: EngineFixture, _ job: JobRecord) throws -> [String] {
        try fixture.root.jobs.events(jobId: job.id!).map(\.message)
    }

    @Test func seed001sShapeStagesTheScriptInsideTheDataFolder() throws {
        let fixture = try EngineFixture()
        try fixture.put("input/mock_data.csv", "id,name\n1,a\n")
        try fixture.put("scripts/preprocessing_script.py", "print('hello')\n")
        let request = fixture.request(
            "seed-001-shape", script: listing + " && cat input/code/preprocessing_script.py",
            inputs: [fixture.input("input-data", uri: "s3://lab/input/", localPath: "/opt/ml/processing/input"),
                     fixture.input("code", uri: "s3://lab/scripts/preprocessing_script.py", localPath: "/opt/ml/processing/input/code")],
            outputs: [fixture.output("output-data", uri: "s3://lab/output/", localPath: "/opt/ml/processing/output")])
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("seed-001-shape") == ["./input/code/preprocessing_script.py", "./input/mock_data.csv",
                                                       "print('hello')"])
    }

    /// Three levels, in both orders; every level's files where the spec puts them, each writable, and the
    /// stored objects byte-identical after the job rewrote every staged file.
    @Test(arguments: [false, true])
    func threeLevelsInAnyOrderStageEveryFileAndLeaveTheObjectsUnchanged(innerFirst: Bool) throws {
        let fixture = try EngineFixture()
        let objects = ["data/mock_data.csv": "data", "data/more/b.csv": "b", "code/run.py": "run",
                       "lib/helpers.py": "helpers", "lib/pkg/__init__.py": "init"]
        for (key, text) in objects { try fixture.put(key, text) }
        var inputs = [fixture.input("data", uri: "s3://lab/data", localPath: "/opt/ml/processing/input"),
                      fixture.input("code", uri: "s3://lab/code/run.py", localPath: "/opt/ml/processing/input/code"),
                      fixture.input("lib", uri: "s3://lab/lib/", localPath: "/opt/ml/processing/input/code/lib")]
        if innerFirst { inputs.reverse() }
        let name = "three-levels-\(innerFirst)"
        // Under the 256 characters of a ContainerEntrypoint member.
        let script = "cd /opt/ml/processing && find . -type f | sort && find input -type f | while read f; do echo rewritten > $f; done"
            + " && for d in input input/code input/code/lib; do echo n > $d/new.txt || exit 3; done && cat input/code/lib/pkg/__init__.py"
        let job = try fixture.run(fixture.request(name, script: script, inputs: inputs))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs(name) == ["./input/code/lib/helpers.py", "./input/code/lib/pkg/__init__.py",
                                           "./input/code/run.py", "./input/mock_data.csv", "./input/more/b.csv", "rewritten"])
        for (key, text) in objects { #expect(try fixture.text(key) == text, "\(key)") }
    }

    @Test func anInnerInputWinsOverTheOuterInputsFileAndTheTimelineSaysSo() throws {
        let fixture = try EngineFixture()
        try fixture.put("data/code/run.py", "outer")
        try fixture.put("data/code/other.py", "other")
        try fixture.put("src/run.py", "inner")
        let request = fixture.request(
            "inner-wins", script: "cat /opt/ml/processing/input/code/run.py /opt/ml/processing/input/code/other.py",
            inputs: [fixture.input("data", uri: "s3://lab/data/", localPath: "/opt/ml/processing/input"),
                     fixture.input("code", uri: "s3://lab/src/", localPath: "/opt/ml/processing/input/code")])
        let job = try fixture.run(request)
        #expect(job.status == .completed)
        #expect(try fixture.logs("inner-wins") == ["innerother"])
        #expect(try timeline(fixture, job).contains(
            "algo-1: Input code at /opt/ml/processing/input/code replaces 1 file(s) of the input(s) around it at the same paths (the inner input wins)"))
    }

    @Test func outputFoldersInsideAnInputAndInsideAnotherOutputAreUploaded() throws {
        let fixture = try EngineFixture()
        try fixture.put("data/a.csv", "a")
        try fixture.put("data/results/seeded.txt", "seeded")
        let script = """
            echo mine >> /opt/ml/processing/input/results/seeded.txt && echo new > /opt/ml/processing/input/results/new.txt \
            && mkdir -p /opt/ml/processing/output/train && echo t > /opt/ml/processing/output/train/t.csv \
            && echo top > /opt/ml/processing/output/top.txt
            """
        let request = fixture.request(
            "nested-outputs", script: script,
            inputs: [fixture.input("data", uri: "s3://lab/data/", localPath: "/opt/ml/processing/input")],
            outputs: [fixture.output("results", uri: "s3://lab/got/results", localPath: "/opt/ml/processing/input/results"),
                      fixture.output("all", uri: "s3://lab/got/all", localPath: "/opt/ml/processing/output"),
                      fixture.output("train", uri: "s3://lab/got/train", localPath: "/opt/ml/processing/output/train")])
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "got/") == [
            "got/all/top.txt", "got/all/train/t.csv", "got/results/new.txt", "got/results/seeded.txt", "got/train/t.csv"])
        #expect(try fixture.text("got/results/seeded.txt") == "seededmine\n")
        #expect(try fixture.text("data/results/seeded.txt") == "seeded")
    }

    @Test func aPipeInputInsideAFileInputsFolderStreams() throws {
        let fixture = try EngineFixture()
        try fixture.put("data/a.csv", "a")
        try fixture.put("stream/1", "one\n")
        try fixture.put("stream/2", "two\n")
        var pipe = fixture.input("stream", uri: "s3://lab/stream/", localPath: "/opt/ml/processing/input/stream")
        pipe.s3Input?.s3InputMode = "Pipe"
        let request = fixture.request(
            "nested-pipe", script: "cat /opt/ml/processing/input/stream_0 && ls /opt/ml/processing/input",
            inputs: [fixture.input("data", uri: "s3://lab/data/", localPath: "/opt/ml/processing/input"), pipe])
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("nested-pipe") == ["one", "two", "a.csv", "stream_0"])
    }

    /// The four cases of spec §12's rule, each staging exactly the files it lists.
    @Test func theFourPrefixCasesStageExactlyTheSpecsFiles() throws {
        let fixture = try EngineFixture()
        for key in ["in/x/a.csv", "in/b.csv", "inner/c.csv", "one/file.csv", "data/part-1.csv", "data/part-2.csv",
                    "data/partial/z.csv", "data/other.csv"] {
            try fixture.put(key, key)
        }
        let cases = [("slash", "s3://lab/in/"), ("folder", "s3://lab/in"), ("object", "s3://lab/one/file.csv"),
                     ("name", "s3://lab/data/part")]
        let request = fixture.request(
            "prefix-cases", script: listing + " && cat case-name/part-1.csv",
            inputs: cases.map { fixture.input($0.0, uri: $0.1, localPath: "/opt/ml/processing/case-\($0.0)") })
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("prefix-cases") == [
            "./case-folder/b.csv", "./case-folder/inner/c.csv", "./case-folder/x/a.csv",
            "./case-name/part-1.csv", "./case-name/part-2.csv", "./case-name/partial/z.csv",
            "./case-object/file.csv",
            "./case-slash/b.csv", "./case-slash/x/a.csv",
            "data/part-1.csv"])
    }

    @Test func aShardedPrefixWithoutItsSlashStagesEachHostsKeysAtTheTopOfLocalPath() throws {
        let fixture = try EngineFixture()
        for index in 0..<10 { try fixture.put("shards/part-\(index)", "\(index)") }
        let script = #"H=$(sed -n 's/.*"current_host" *: *"\([^"]*\)".*/\1/p' /opt/ml/config/resourceconfig.json); cd /opt/ml/processing/input && find . -type f | sort | tr '\n' ' ' > /opt/ml/processing/out/$H"#
        let request = fixture.request(
            "sharded-no-slash", script: script,
            inputs: [fixture.input("data", uri: "s3://lab/shards", localPath: "/opt/ml/processing/input", distribution: "ShardedByS3Key")],
            outputs: [fixture.output("out", uri: "s3://lab/listing/", localPath: "/opt/ml/processing/out")],
            instanceCount: 4)
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        let listings = try (1...4).map { try fixture.text("listing/algo-\($0)") }
        #expect(listings == ["./part-0 ./part-4 ./part-8 ", "./part-1 ./part-5 ./part-9 ", "./part-2 ./part-6 ", "./part-3 ./part-7 "])
    }
}
