import Foundation
import JobStore
import SageMakerAPI

/// What the runner needs of a job, whatever its kind: the request of a CreateProcessingJob or a
/// CreateTrainingJob seen as one shape. A training job's channels are staged as processing inputs at
/// `/opt/ml/input/data/<channel>` (File mode: the objects; Pipe mode: the FIFO `<channel>_0`), so both
/// kinds share one stager, one sandbox and one lifecycle; only the config files and what is uploaded
/// at the end differ.
struct JobDefinition {
    var kind: JobKind
    var imageUri: String
    var containerEntrypoint: [String]?
    var containerArguments: [String]?
    /// The image's CMD replacement: a training container runs `train` (`docker run <image> train`).
    var command: [String]?
    var environment: [String: String]
    var instanceType: String
    var instanceCount: Int
    var volumeSizeInGB: Int
    var maxRuntime: Int
    var networkIsolation: Bool
    var inputs: [ProcessingInput]
    /// Processing only: the outputs uploaded from the instances' folders.
    var outputs: [ProcessingOutput]
    /// Training only: `<S3OutputPath>/<TrainingJobName>/output`, where model.tar.gz and output.tar.gz go.
    var modelOutputPrefix: String
    /// Training only: the request's MetricDefinitions, matched against the log lines.
    var metricDefinitions: [MetricDefinition]
    /// Files every instance finds in its config folder (`/opt/ml/config` or `/opt/ml/input/config`),
    /// besides resourceconfig.json, which differs per host.
    var configFolder: String
    var configFiles: [String: Data]

    /// The folders under /opt/ml the container finds made (a training image expects its model folder).
    var containerFolders: [String] {
        switch kind {
        case .processing: ["/opt/ml/config", "/opt/ml/processing"]
        case .training: ["/opt/ml/input/config", "/opt/ml/input/data", "/opt/ml/model", "/opt/ml/output/data", "/opt/ml/code"]
        }
    }

    /// The argv `docker run` would run with the image's ENTRYPOINT and CMD.
    func argv(image: ImageEntry) -> [String] {
        image.argv(entrypoint: containerEntrypoint, arguments: containerArguments ?? command)
    }

    static func make(_ job: JobRecord) throws -> JobDefinition {
        switch job.kind {
        case .processing:
            try processing(SageMakerJSON.decoder.decode(CreateProcessingJobRequest.self, from: Data(job.request.utf8)), arn: job.arn)
        case .training:
            try training(SageMakerJSON.decoder.decode(CreateTrainingJobRequest.self, from: Data(job.request.utf8)), arn: job.arn)
        }
    }

    static func processing(_ request: CreateProcessingJobRequest, arn: String) throws -> JobDefinition {
        let cluster = request.processingResources?.clusterConfig
        return JobDefinition(
            kind: .processing, imageUri: request.appSpecification?.imageUri ?? "",
            containerEntrypoint: request.appSpecification?.containerEntrypoint,
            containerArguments: request.appSpecification?.containerArguments, command: nil,
            environment: request.environment ?? [:], instanceType: cluster?.instanceType ?? "",
            instanceCount: max(1, cluster?.instanceCount ?? 1), volumeSizeInGB: cluster?.volumeSizeInGB ?? 30,
            maxRuntime: request.stoppingCondition?.maxRuntimeInSeconds ?? JobConfigFiles.defaultMaxRuntimeInSeconds,
            networkIsolation: request.networkConfig?.enableNetworkIsolation == true,
            inputs: request.processingInputs ?? [], outputs: request.processingOutputConfig?.outputs ?? [],
            modelOutputPrefix: "", metricDefinitions: [], configFolder: "/opt/ml/config",
            configFiles: ["processingjobconfig.json": try JobConfigFiles.processingJobConfig(request: request, arn: arn)])
    }

    static func training(_ request: CreateTrainingJobRequest, arn: String) throws -> JobDefinition {
        let algorithm = request.algorithmSpecification
        let resources = request.resourceConfig
        let name = request.trainingJobName ?? ""
        var environment = request.environment ?? [:]
        environment["TRAINING_JOB_NAME"] = name
        environment["TRAINING_JOB_ARN"] = arn
        return JobDefinition(
            kind: .training, imageUri: algorithm?.trainingImage ?? "",
            containerEntrypoint: algorithm?.containerEntrypoint, containerArguments: algorithm?.containerArguments,
            command: ["train"], environment: environment, instanceType: resources?.instanceType ?? "",
            instanceCount: max(1, resources?.instanceCount ?? 1), volumeSizeInGB: resources?.volumeSizeInGB ?? 30,
            maxRuntime: request.stoppingCondition?.maxRuntimeInSeconds ?? JobConfigFiles.defaultMaxRuntimeInSeconds,
            networkIsolation: request.enableNetworkIsolation == true,
            inputs: (request.inputDataConfig ?? []).map { channelInput($0, defaultMode: algorithm?.trainingInputMode) },
            outputs: [], modelOutputPrefix: modelOutputPrefix(of: request),
            metricDefinitions: algorithm?.metricDefinitions ?? [], configFolder: "/opt/ml/input/config",
            configFiles: try JobConfigFiles.trainingConfig(request: request))
    }

    /// `<S3OutputPath>/<TrainingJobName>/output`: where a training job's model.tar.gz and output.tar.gz go.
    static func modelOutputPrefix(of request: CreateTrainingJobRequest) -> String {
        let outputPath = (request.outputDataConfig?.s3OutputPath ?? "").trimmingSuffix("/")
        return "\(outputPath)/\(request.trainingJobName ?? "")/output"
    }

    /// A channel as the processing input the stager knows: the same S3 selection, at the channel's folder.
    private static func channelInput(_ channel: Channel, defaultMode: String?) -> ProcessingInput {
        let s3 = channel.dataSource?.s3DataSource
        let mode = channel.inputMode ?? defaultMode ?? TrainingInputMode.file.rawValue
        let name = channel.channelName ?? ""
        return ProcessingInput(
            inputName: name,
            s3Input: ProcessingS3Input(
                s3Uri: s3?.s3Uri, localPath: "/opt/ml/input/data/\(name)", s3DataType: s3?.s3DataType ?? S3DataType.s3Prefix.rawValue,
                s3InputMode: mode == TrainingInputMode.pipe.rawValue ? ProcessingS3InputMode.pipe.rawValue : ProcessingS3InputMode.file.rawValue,
                s3DataDistributionType: s3?.s3DataDistributionType ?? S3DataDistribution.fullyReplicated.rawValue,
                s3CompressionType: channel.compressionType == CompressionType.gzip.rawValue ? ProcessingS3CompressionType.gzip.rawValue : nil))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
