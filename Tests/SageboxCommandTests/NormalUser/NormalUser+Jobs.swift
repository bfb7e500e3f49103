import Foundation
import Testing

/// Requests and runs of processing jobs as the normal user.
extension NormalUser {
    /// A CreateProcessingJob request running `entrypoint`, with `extra` members appended.
    static func job(_ name: String, _ entrypoint: [String], type: String = "ml.t3.medium", volumeGB: Int = 1, extra: String = "") -> String {
        let argv = String(decoding: try! JSONEncoder().encode(entrypoint), as: UTF8.self)
        return """
            {"ProcessingJobName": "\(name)", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
             "AppSpecification": {"ImageUri": "local/test", "ContainerEntrypoint": \(argv)},
             "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "\(type)", "VolumeSizeInGB": \(volumeGB)}}\(extra)}
            """
    }

    /// ProcessingOutputConfig with one output, as `extra` members of `job`.
    static func output(_ uri: String, _ localPath: String, mode: String = "EndOfJob") -> String {
        #", "ProcessingOutputConfig": {"Outputs": [{"OutputName": "out", "S3Output": {"S3Uri": "\#(uri)", "LocalPath": "\#(localPath)", "S3UploadMode": "\#(mode)"}}]}"#
    }

    /// `sagebox run REQUEST --wait options…`.
    func run(_ request: String, _ options: String...) throws -> Sagebox.Result {
        try sagebox(["run", try file("job-\(UUID().uuidString).json", request), "--wait"] + options)
    }

    /// The job's timeline (`describe --events`).
    func timeline(_ name: String) throws -> String {
        try sagebox("describe", name, "--events").stdout
    }

    /// What the files under the sagebox root take on disk (`du`), in KiB: the root's own, not the file
    /// system's free space, which other tests running beside this one change.
    func allocatedKiB() throws -> Int {
        let du = try Sagebox.execute(URL(filePath: "/usr/bin/du"), ["-sk", root.path])
        return Int(du.stdout.split(separator: "\t").first ?? "") ?? .max
    }

    /// Runs the Python `script` (boto3 at hand, from the samples' environment) as the test's own user,
    /// a client of the user's server at `url`: `sys.argv[1]` is the URL, `sys.argv[2]` `argument`, and `sm`
    /// a SageMaker client of it.
    static func boto3(_ url: String, _ script: String, _ argument: String) throws -> Sagebox.Result {
        let environment = ProcessInfo.processInfo.environment["SAGEBOX_PYTHON_ENV"].flatMap { $0.isEmpty ? nil : $0 }
        let python = URL(filePath: environment ?? Sagebox.repository.appending(path: ".venv").path).appending(path: "bin/python")
        let client = """
            import boto3, botocore.exceptions, json, sys
            sm = boto3.client("sagemaker", endpoint_url=sys.argv[1], region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
            def wait(name):
                try:
                    sm.get_waiter("processing_job_completed_or_stopped").wait(
                        ProcessingJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
                except botocore.exceptions.WaiterError:
                    pass  # Failed: the caller describes it
                return sm.describe_processing_job(ProcessingJobName=name)

            """ + script
        return try Sagebox.execute(python, ["-c", client, url, argument],
                                   environment: ["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"])
    }
}
