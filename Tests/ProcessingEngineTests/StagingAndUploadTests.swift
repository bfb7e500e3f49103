import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Staging inputs and uploading outputs")
struct StagingAndUploadTests {
    @Test func aJobThatOverwritesItsInputLeavesTheStoredObjectUnchanged() throws {
        let fixture = try EngineFixture()
        try fixture.put("raw/data.csv", "original bytes")
        let request = fixture.request(
            "overwrite", script: "echo changed > /opt/ml/processing/input/data.csv; cat /opt/ml/processing/input/data.csv; rm -f /opt/ml/processing/input/x",
            inputs: [fixture.input("data", uri: "s3://lab/raw/", localPath: "/opt/ml/processing/input")])
        #expect(try fixture.run(request).status == .completed)
        #expect(try fixture.logs("overwrite") == ["changed"])
        #expect(try fixture.text("raw/data.csv") == "original bytes")
    }

    @Test func theTimelineBracketsStagingAndUploadAsStepsOfTheirOwn() throws {
        let fixture = try EngineFixture()
        try fixture.put("raw/a.csv", "a")
        let request = fixture.request(
            "phases", script: "echo out > /opt/ml/processing/output/b.txt",
            inputs: [fixture.input("data", uri: "s3://lab/raw/", localPath: "/opt/ml/processing/input")],
            outputs: [fixture.output("out", uri: "s3://lab/phases/", localPath: "/opt/ml/processing/output")])
        let job = try fixture.run(request)
        #expect(job.status == .completed)
        let messages = try fixture.root.jobs.events(jobId: job.id!).map(\.message)
        let steps = ["Staging inputs for algo-1", "Inputs staged for 1 instance(s)", "algo-1 exited with code 0",
                     "Uploading outputs", "Uploaded 1 object(s)"]
        let positions = steps.map { step in messages.firstIndex(of: step) }
        #expect(positions.allSatisfy { $0 != nil }, "timeline: \(messages)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test func anEmptyPrefixFailsWithTheSpecsClientError() throws {
        let fixture = try EngineFixture()
        let request = fixture.request("empty", script: "true",
                                      inputs: [fixture.input("data", uri: "s3://lab/nothing/", localPath: "/opt/ml/processing/input")])
        let job = try fixture.run(request)
        #expect(job.status == .failed)
        #expect(job.failureReason == #"ClientError: No S3 objects found under S3 URL "s3://lab/nothing/" given in input data source. Please ensure that the bucket exists in the selected region, that objects exist under that S3 prefix."#)
        #expect(job.startTime == nil)
        let missingBucket = fixture.request("no-bucket", script: "true",
                                            inputs: [fixture.input("data", uri: "s3://missing-bucket/x", localPath: "/opt/ml/processing/input")])
        #expect(try fixture.run(missingBucket).failureReason?.hasPrefix("ClientError: No S3 objects found") == true)
    }

    @Test func outputsUploadRegularFilesOnlyAndOnlyWhenTheJobSucceeded() throws {
        let fixture = try EngineFixture()
        let script = """
            cd /opt/ml/processing/output && mkdir -p nested empty && echo one > a.txt && echo two > nested/b.txt \
            && ln -s /etc/hostname link && exit ${CODE:-0}
            """
        var request = fixture.request("outputs", script: script,
                                      outputs: [fixture.output("out", uri: "s3://lab/results", localPath: "/opt/ml/processing/output")])
        #expect(try fixture.run(request).status == .completed)
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "results") == ["results/a.txt", "results/nested/b.txt"])
        #expect(try fixture.text("results/nested/b.txt") == "two\n")

        request.processingJobName = "outputs-failed"
        request.processingOutputConfig?.outputs?[0].s3Output?.s3Uri = "s3://lab/failed/"
        request.environment = ["CODE": "2"]
        #expect(try fixture.run(request).status == .failed)
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "failed") == [])
    }

    @Test func theConfigFilesFollowTheContract() throws {
        let fixture = try EngineFixture()
        try fixture.put("in/x", "x")
        let request = fixture.request(
            "configs", script: "cp /opt/ml/config/*.json /opt/ml/processing/out/",
            inputs: [fixture.input("data", uri: "s3://lab/in/", localPath: "/opt/ml/processing/in")],
            outputs: [fixture.output("out", uri: "s3://lab/configs/", localPath: "/opt/ml/processing/out")])
        #expect(try fixture.run(request).status == .completed)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(fixture.text("configs/processingjobconfig.json").utf8)) as? [String: Any])
        #expect(job["ProcessingJobName"] as? String == "configs")
        #expect(job["ProcessingJobArn"] as? String == "arn:aws:sagemaker:us-east-1:000000000000:processing-job/configs")
        #expect((job["StoppingCondition"] as? [String: Any])?["MaxRuntimeInSeconds"] as? Int == 86400)
        let s3Input = try #require(((job["ProcessingInputs"] as? [[String: Any]])?.first)?["S3Input"] as? [String: Any])
        #expect(s3Input["S3DataDistributionType"] as? String == "FullyReplicated")
        #expect(s3Input["S3CompressionType"] as? String == "None")
        #expect(s3Input["S3DownloadMode"] as? String == "StartOfJob")
        #expect((job["AppSpecification"] as? [String: Any])?["ContainerArguments"] is NSNull)
        let resources = try #require(try JSONSerialization.jsonObject(with: Data(fixture.text("configs/resourceconfig.json").utf8)) as? [String: Any])
        #expect(resources["current_host"] as? String == "algo-1")
        #expect(resources["hosts"] as? [String] == ["algo-1"])
    }

    @Test func shardedInputsSplitObjectsRoundRobinAcrossHosts() throws {
        let fixture = try EngineFixture()
        for index in 0..<10 { try fixture.put("shards/part-\(index)", "\(index)") }
        let request = fixture.request(
            "sharded", script: #"H=$(sed -n 's/.*"current_host" *: *"\([^"]*\)".*/\1/p' /opt/ml/config/resourceconfig.json); ls /opt/ml/processing/input | wc -l > /opt/ml/processing/out/$H"#,
            inputs: [fixture.input("data", uri: "s3://lab/shards/", localPath: "/opt/ml/processing/input", distribution: "ShardedByS3Key")],
            outputs: [fixture.output("out", uri: "s3://lab/counts/", localPath: "/opt/ml/processing/out")],
            instanceCount: 4)
        #expect(try fixture.run(request).status == .completed)
        let counts = try (1...4).map { try fixture.text("counts/algo-\($0)").trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(counts == ["3", "3", "2", "2"])
    }
}
