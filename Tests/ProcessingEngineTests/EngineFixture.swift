import FakeS3
import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI

/// A fresh sagebox root in a temporary folder, with helpers to create and run jobs on it.
struct EngineFixture {
    let root: SageboxRoot
    let service: JobService
    let runner: JobRunner

    /// A fixture whose root is at `url`, by default a new folder in the temporary directory.
    init(rootURL url: URL = FileManager.default.temporaryDirectory.appending(path: "sagebox-engine-\(UUID().uuidString)")) throws {
        root = try SageboxRoot(url: url)
        service = JobService(root: root)
        runner = JobRunner(root: root, settings: RunnerSettings(launcher: RunnerSettings.findLauncher(), pythonEnvironment: nil))
        _ = try root.s3.createBucket("lab")
    }

    /// A request whose entrypoint is `/bin/sh -c script`, with the given inputs and outputs.
    func request(_ name: String, script: String, inputs: [ProcessingInput] = [], outputs: [ProcessingOutput] = [],
                 instanceCount: Int = 1) -> CreateProcessingJobRequest {
        var request = CreateProcessingJobRequest()
        request.processingJobName = name
        request.roleArn = "arn:aws:iam::000000000000:role/SageMakerRole"
        request.appSpecification = AppSpecification(imageUri: "local/test", containerEntrypoint: ["/bin/sh", "-c", script])
        var cluster = ProcessingClusterConfig()
        cluster.instanceCount = instanceCount
        cluster.instanceType = "ml.t3.medium"
        cluster.volumeSizeInGB = 1
        request.processingResources = ProcessingResources(clusterConfig: cluster)
        request.processingInputs = inputs.isEmpty ? nil : inputs
        if !outputs.isEmpty { request.processingOutputConfig = ProcessingOutputConfig(outputs: outputs) }
        return request
    }

    func input(_ name: String, uri: String, localPath: String, distribution: String? = nil, dataType: String = "S3Prefix") -> ProcessingInput {
        var s3 = ProcessingS3Input()
        s3.s3Uri = uri
        s3.localPath = localPath
        s3.s3DataType = dataType
        s3.s3InputMode = "File"
        s3.s3DataDistributionType = distribution
        var input = ProcessingInput()
        input.inputName = name
        input.s3Input = s3
        return input
    }

    func output(_ name: String, uri: String, localPath: String) -> ProcessingOutput {
        var s3 = ProcessingS3Output()
        s3.s3Uri = uri
        s3.localPath = localPath
        s3.s3UploadMode = "EndOfJob"
        var output = ProcessingOutput()
        output.outputName = name
        output.s3Output = s3
        return output
    }

    /// Creates the job and runs it to its end.
    @discardableResult
    func run(_ request: CreateProcessingJobRequest) throws -> JobRecord {
        _ = try service.createProcessingJob(request)
        return try runner.run(jobNamed: request.processingJobName!)
    }

    func put(_ key: String, _ text: String) throws {
        _ = try root.s3.putObject(bucket: "lab", key: key, data: Data(text.utf8))
    }

    func text(_ key: String) throws -> String {
        try String(contentsOf: root.s3.getObject(bucket: "lab", key: key).url, encoding: .utf8)
    }

    func logs(_ name: String, kind: JobKind = .processing) throws -> [String] {
        let job = try #require(try root.jobs.job(named: name, kind: kind))
        return try root.jobs.logStreams(jobId: job.id!).flatMap { try root.jobs.logEvents(stream: $0).map(\.message) }
    }
}

import Testing
