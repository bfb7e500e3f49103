import Foundation
import Testing

/// A CreateTrainingJob request as `aws sagemaker create-training-job --cli-input-json` takes it.
private func trainingJSON(_ name: String, entrypoint: [String], bucket: String = "lab") -> String {
    let entry = String(decoding: try! JSONEncoder().encode(entrypoint), as: UTF8.self)
    return """
        {"TrainingJobName": "\(name)", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
         "AlgorithmSpecification": {"TrainingImage": "local/train", "TrainingInputMode": "File", "ContainerEntrypoint": \(entry)},
         "OutputDataConfig": {"S3OutputPath": "s3://\(bucket)/models"},
         "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
         "StoppingCondition": {"MaxRuntimeInSeconds": 600}}
        """
}

@Suite("sagebox train, describe --training, logs --training, stop --training")
struct TrainCommandTests {
    @Test func trainWaitRunsATrainingJobAndItsModelIsInTheStore() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        let ok = try sagebox("train", try sagebox.file("t.json", trainingJSON("t-ok", entrypoint: ["/bin/sh", "-c", "echo w > /opt/ml/model/w; echo trained"])),
                             "--wait")
        #expect(ok.status == 0, "\(ok.stdout) \(ok.stderr)")
        #expect(ok.stdout.contains("t-ok: Completed"))
        let described = try sagebox("describe", "--training", "t-ok")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as? [String: Any])
        #expect(json["TrainingJobStatus"] as? String == "Completed")
        #expect((json["ModelArtifacts"] as? [String: Any])?["S3ModelArtifacts"] as? String == "s3://lab/models/t-ok/output/model.tar.gz")
        #expect(try sagebox("s3", "ls", "s3://lab/models/t-ok/output/").stdout.contains("model.tar.gz"))
        #expect(try sagebox("logs", "--training", "t-ok").stdout.contains("==> /aws/sagemaker/TrainingJobs t-ok/algo-1-"))
        // A processing job of the same name is another job.
        #expect(try sagebox("describe", "t-ok").status != 0)
    }

    @Test func trainWithoutWaitRunsInTheBackgroundAndStopEndsItStopped() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        let started = try sagebox("train", try sagebox.file("bg.json", trainingJSON("t-bg", entrypoint: ["/bin/sh", "-c", "exec sleep 30"])),
                                  "--stop-grace", "1")
        #expect(started.stdout.contains(#""TrainingJobArn" : "arn:aws:sagemaker:us-east-1:000000000000:training-job/t-bg""#))
        func secondary() throws -> String? {
            (try JSONSerialization.jsonObject(with: Data(try sagebox("describe", "--training", "t-bg").stdout.utf8)) as? [String: Any])?["SecondaryStatus"] as? String
        }
        for _ in 0..<200 where try secondary() != "Training" { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try sagebox("stop", "--training", "t-bg").status == 0)
        var status: String?
        for _ in 0..<300 where status != "Stopped" {
            Thread.sleep(forTimeInterval: 0.1)
            status = (try JSONSerialization.jsonObject(with: Data(try sagebox("describe", "--training", "t-bg").stdout.utf8)) as? [String: Any])?["TrainingJobStatus"] as? String
        }
        #expect(status == "Stopped")
        #expect(try secondary() == "Stopped")
    }
}
