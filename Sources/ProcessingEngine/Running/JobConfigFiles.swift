import Foundation
import SageMakerAPI

/// The two files every instance finds under `/opt/ml/config/`, written as the real service writes them.
enum JobConfigFiles {
    /// `processingjobconfig.json`: the request with the service's defaults filled in, plus the ARN.
    static func processingJobConfig(request: CreateProcessingJobRequest, arn: String) throws -> Data {
        guard var config = try JSONSerialization.jsonObject(with: SageMakerJSON.encoder.encode(request)) as? [String: Any] else {
            throw EngineError.internal("the request does not encode to a JSON object")
        }
        config["ProcessingJobArn"] = arn
        config["Tags"] = nil
        var app = config["AppSpecification"] as? [String: Any] ?? [:]
        for member in ["ContainerEntrypoint", "ContainerArguments"] where app[member] == nil { app[member] = NSNull() }
        config["AppSpecification"] = app
        config["Environment"] = config["Environment"] ?? [String: Any]()
        var stopping = config["StoppingCondition"] as? [String: Any] ?? [:]
        stopping["MaxRuntimeInSeconds"] = stopping["MaxRuntimeInSeconds"] ?? defaultMaxRuntimeInSeconds
        config["StoppingCondition"] = stopping
        if let inputs = config["ProcessingInputs"] as? [[String: Any]] {
            config["ProcessingInputs"] = inputs.map(withInputDefaults)
        }
        return try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// `resourceconfig.json`: which host this is, and all hosts of the job.
    static func resourceConfig(host: String, hosts: [String], instanceType: String) throws -> Data {
        let config: [String: Any] = [
            "current_host": host, "hosts": hosts,
            "current_instance_type": instanceType, "network_interface_name": "eth0",
        ]
        return try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
    }

    /// Used when the request has no StoppingCondition, as on AWS (24 hours).
    static let defaultMaxRuntimeInSeconds = 86_400

    private static func withInputDefaults(_ input: [String: Any]) -> [String: Any] {
        var input = input
        input["AppManaged"] = input["AppManaged"] ?? false
        if var s3 = input["S3Input"] as? [String: Any] {
            s3["S3InputMode"] = s3["S3InputMode"] ?? "File"
            s3["S3DataDistributionType"] = s3["S3DataDistributionType"] ?? "FullyReplicated"
            s3["S3CompressionType"] = s3["S3CompressionType"] ?? "None"
            s3["S3DownloadMode"] = "StartOfJob"
            input["S3Input"] = s3
        }
        return input
    }
}
