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
}
