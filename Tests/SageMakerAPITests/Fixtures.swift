import SageMakerAPI

/// Requests shared by the tests.
enum Fixtures {
    /// A CreateProcessingJob request that sets every member sagebox supports and is valid.
    static func validCreateRequest() -> CreateProcessingJobRequest {
        CreateProcessingJobRequest(
            processingInputs: [
                ProcessingInput(inputName: "raw", s3Input: ProcessingS3Input(
                    s3Uri: "s3://bucket/raw/", localPath: "/opt/ml/processing/input/raw",
                    s3DataType: "S3Prefix", s3InputMode: "File",
                    s3DataDistributionType: "ShardedByS3Key", s3CompressionType: "None")),
                ProcessingInput(inputName: "stream", s3Input: ProcessingS3Input(
                    s3Uri: "s3://bucket/stream.gz", localPath: "/opt/ml/processing/input/stream",
                    s3DataType: "S3Prefix", s3InputMode: "Pipe", s3CompressionType: "Gzip")),
            ],
            processingOutputConfig: ProcessingOutputConfig(outputs: [
                ProcessingOutput(outputName: "out", s3Output: ProcessingS3Output(
                    s3Uri: "s3://bucket/out/", localPath: "/opt/ml/processing/output", s3UploadMode: "EndOfJob")),
            ]),
            processingJobName: "my-job-1",
            processingResources: ProcessingResources(clusterConfig: ProcessingClusterConfig(
                instanceCount: 2, instanceType: "ml.m5.xlarge", volumeSizeInGB: 30)),
            stoppingCondition: ProcessingStoppingCondition(maxRuntimeInSeconds: 3600),
            appSpecification: AppSpecification(
                imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/proc:latest",
                containerEntrypoint: ["python3", "/opt/ml/processing/code/run.py"],
                containerArguments: ["--verbose"]),
            environment: ["MODE": "test", "_UNDERSCORE_1": "any\nvalue"],
            networkConfig: NetworkConfig(enableNetworkIsolation: true),
            roleArn: "arn:aws:iam::000000000000:role/SageMakerRole",
            tags: [Tag(key: "team", value: "données ml")],
            experimentConfig: ExperimentConfig(experimentName: "exp-1")
        )
    }

    /// The message of the AWSServiceError that `validate()` throws, or nil if it passes.
    static func validationMessage(_ request: CreateProcessingJobRequest) -> String? {
        do {
            try request.validate()
            return nil
        } catch {
            return error.code == "ValidationException" ? error.message : "unexpected code \(error.code)"
        }
    }
}
