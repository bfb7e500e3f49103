import Foundation
import SageMakerAPI

/// The config files every instance finds, written as the real service writes them: a processing job's
/// under `/opt/ml/config/`, a training job's under `/opt/ml/input/config/` (spec §4).
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

    /// A training job's `hyperparameters.json` (the values as the strings the request sent),
    /// `inputdataconfig.json` (per channel; ContentType only when given) and, with a CheckpointConfig,
    /// `checkpointconfig.json`.
    static func trainingConfig(request: CreateTrainingJobRequest) throws -> [String: Data] {
        var channels: [String: Any] = [:]
        let defaultMode = request.algorithmSpecification?.trainingInputMode ?? TrainingInputMode.file.rawValue
        for channel in request.inputDataConfig ?? [] {
            var entry: [String: Any] = [
                "TrainingInputMode": channel.inputMode ?? defaultMode,
                "S3DistributionType": channel.dataSource?.s3DataSource?.s3DataDistributionType ?? S3DataDistribution.fullyReplicated.rawValue,
                "RecordWrapperType": channel.recordWrapperType ?? RecordWrapper.none.rawValue,
            ]
            if let contentType = channel.contentType { entry["ContentType"] = contentType }
            channels[channel.channelName ?? ""] = entry
        }
        var files = [
            "hyperparameters.json": try JSONSerialization.data(withJSONObject: request.hyperParameters ?? [:], options: [.sortedKeys, .withoutEscapingSlashes]),
            "inputdataconfig.json": try JSONSerialization.data(withJSONObject: channels, options: [.sortedKeys, .withoutEscapingSlashes]),
        ]
        if let checkpoint = request.checkpointConfig {
            let config = ["LocalPath": checkpoint.localPath ?? "/opt/ml/checkpoints", "S3Uri": checkpoint.s3Uri ?? ""]
            files["checkpointconfig.json"] = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes])
        }
        return files
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
