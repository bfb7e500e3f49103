import Foundation
import Testing

/// A CreateProcessingJob request as `--cli-input-json` takes it, running `/bin/sh -c script`.
private func jobJSON(_ name: String, script: String, extra: String = "") -> String {
    let scriptJSON = String(decoding: try! JSONEncoder().encode(script), as: UTF8.self)
    return """
        {"ProcessingJobName": "\(name)", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
         "AppSpecification": {"ImageUri": "local/test", "ContainerEntrypoint": ["/bin/sh", "-c", \(scriptJSON)]},
         "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}}\(extra)}
        """
}

@Suite("sagebox run, describe, list, logs")
struct JobCommandTests {
    @Test func runWaitExitsZeroOnlyForCompletedJobsAndDescribePrintsTheAPIsJSON() throws {
        let sagebox = try Sagebox()
        let ok = try sagebox("run", try sagebox.file("ok.json", jobJSON("ok-job", script: "echo hello")), "--wait")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ok-job: Completed"))
        let failing = try sagebox("run", try sagebox.file("bad.json", jobJSON("failing-job", script: "echo oops >&2; exit 3")), "--wait")
        #expect(failing.status != 0)
        #expect(failing.stdout.contains("FailureReason: AlgorithmError: See job logs for more information"))

        let described = try sagebox("describe", "failing-job")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as? [String: Any])
        #expect(json["ProcessingJobStatus"] as? String == "Failed")
        #expect(json["FailureReason"] as? String == "AlgorithmError: See job logs for more information")
        #expect(json["CreationTime"] is NSNumber)  // epoch seconds, not a string
        #expect(json["ProcessingJobArn"] as? String == "arn:aws:sagemaker:us-east-1:000000000000:processing-job/failing-job")
        #expect(json["ExitMessage"] == nil)  // null members are left out
        let times = try ["CreationTime", "ProcessingStartTime", "ProcessingEndTime", "LastModifiedTime"].map {
            try #require((json[$0] as? NSNumber)?.doubleValue)
        }
        #expect(times == times.sorted())
        #expect(try sagebox("describe", "failing-job", "--events").stdout.contains("Failed"))

        #expect(try sagebox("logs", "failing-job").stdout.contains("oops"))
        let list = try sagebox("list").stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) }
        #expect(list == ["failing-job", "ok-job"])
    }

    @Test func runWithoutWaitAnswersAtOnceAndTheJobEndsInTheBackground() throws {
        let sagebox = try Sagebox()
        let started = try sagebox("run", try sagebox.file("bg.json", jobJSON("bg-job", script: "sleep 1; echo done")))
        #expect(started.status == 0)
        #expect(started.stdout.contains(#""ProcessingJobArn" : "arn:aws:sagemaker:us-east-1:000000000000:processing-job/bg-job""#))
        #expect(try sagebox("describe", "bg-job").stdout.contains(#""ProcessingJobStatus" : "InProgress""#))
        var status = ""
        for _ in 0..<300 where status != "Completed" {
            Thread.sleep(forTimeInterval: 0.1)
            status = (try JSONSerialization.jsonObject(with: Data(try sagebox("describe", "bg-job").stdout.utf8)) as? [String: Any])?["ProcessingJobStatus"] as? String ?? ""
        }
        #expect(status == "Completed")
    }

    /// `--disk-floor` reaches the runner, in this process (`--wait`) and in the background one (`run-job`):
    /// a floor above any free space stops the job at once.
    @Test(arguments: [true, false])
    func aDiskFloorAboveTheFreeSpaceStopsTheJob(wait: Bool) throws {
        let sagebox = try Sagebox()
        let request = try sagebox.file("floor.json", jobJSON("floor-job", script: "sleep 20"))
        let run = try Sagebox.execute(Sagebox.binary, ["--root", sagebox.root.path, "run", request, "--disk-floor", "1000TiB"] + (wait ? ["--wait"] : []))
        #expect(run.status == (wait ? 1 : 0), "\(run.stderr)")
        var json: [String: Any] = [:]
        for _ in 0..<300 where json["ProcessingJobStatus"] as? String ?? "InProgress" == "InProgress" {
            json = try JSONSerialization.jsonObject(with: Data(try sagebox("describe", "floor-job").stdout.utf8)) as? [String: Any] ?? [:]
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(json["FailureReason"] as? String == "ClientError: The host's free disk space fell below 1000 TiB (sagebox's --disk-floor): the job was stopped before the disk filled. Free space on the host, or lower --disk-floor.")
        let refused = try sagebox("run", request, "--disk-floor", "lots")
        #expect(refused.status != 0 && refused.stderr.contains("--disk-floor"), "\(refused.stderr)")
    }

    @Test(arguments: [
        (jobJSON("bad_name", script: "true"),
         "1 validation error detected: Value 'bad_name' at 'processingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"),
        (jobJSON("count", script: "true").replacingOccurrences(of: #""InstanceCount": 1"#, with: #""InstanceCount": 101"#),
         "1 validation error detected: Value '101' at 'processingResources.clusterConfig.instanceCount' failed to satisfy constraint: Member must have value less than or equal to 100"),
        (jobJSON("enum", script: "true").replacingOccurrences(of: "ml.t3.medium", with: "ml.bogus"),
         "Value 'ml.bogus' at 'processingResources.clusterConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: ["),
        (jobJSON("outside", script: "true", extra: #", "ProcessingInputs": [{"InputName": "a", "S3Input": {"S3Uri": "s3://lab/a", "LocalPath": "/tmp/a", "S3DataType": "S3Prefix", "S3InputMode": "File"}}]"#),
         "/tmp/a"),
        (jobJSON("dup", script: "true", extra: #", "ProcessingInputs": [{"InputName": "a", "S3Input": {"S3Uri": "s3://lab/a", "LocalPath": "/opt/ml/processing/a", "S3DataType": "S3Prefix", "S3InputMode": "File"}}, {"InputName": "b", "S3Input": {"S3Uri": "s3://lab/b", "LocalPath": "/opt/ml/processing/a", "S3DataType": "S3Prefix", "S3InputMode": "File"}}]"#),
         "/opt/ml/processing/a"),
        (jobJSON("gzip", script: "true", extra: #", "ProcessingInputs": [{"InputName": "a", "S3Input": {"S3Uri": "s3://lab/a", "LocalPath": "/opt/ml/processing/a", "S3DataType": "S3Prefix", "S3InputMode": "File", "S3CompressionType": "Gzip"}}]"#),
         "Gzip"),
    ])
    func badRequestsGetAWSsValidationTextAndLeaveNoJob(request: String, expected: String) throws {
        let sagebox = try Sagebox()
        let result = try sagebox("run", try sagebox.file("bad.json", request), "--wait")
        #expect(result.status != 0)
        #expect(result.stderr.contains("An error occurred (ValidationException) when calling the CreateProcessingJob operation: "))
        #expect(result.stderr.contains(expected))
        #expect(try sagebox("list").stdout.split(separator: "\n").count == 1)  // the header only
    }

    @Test func aDuplicateNameIsResourceInUse() throws {
        let sagebox = try Sagebox()
        let file = try sagebox.file("job.json", jobJSON("twice", script: "true"))
        #expect(try sagebox("run", file, "--wait").status == 0)
        let again = try sagebox("run", file, "--wait")
        #expect(again.status != 0)
        #expect(again.stderr.contains("An error occurred (ResourceInUse) when calling the CreateProcessingJob operation: Processing job names must be unique"))
    }
}
