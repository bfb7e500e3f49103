extension CreateTrainingJobRequest {
    /// Checks the request as CreateTrainingJob does: the model's constraints first, then the cross-field
    /// rules sagebox needs (`TrainingJobRules`).
    public func validate() throws(AWSServiceError) {
        try validateModel()
        if let problem = TrainingJobRules.firstProblem(in: self) {
            throw .validation(problem)
        }
    }
}

/// The cross-field rules of CreateTrainingJob that the model cannot express. Where AWS's text is known
/// it is used; the others are sagebox's own and name the field and the value.
enum TrainingJobRules {
    static func firstProblem(in request: CreateTrainingJobRequest) -> String? {
        let algorithm = request.algorithmSpecification
        if let problem = ProcessingJobRules.nulProblem(fields: [
            ("AlgorithmSpecification.ContainerEntrypoint", algorithm?.containerEntrypoint ?? []),
            ("AlgorithmSpecification.ContainerArguments", algorithm?.containerArguments ?? []),
            ("Environment", (request.environment ?? [:]).sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }),
            ("HyperParameters", (request.hyperParameters ?? [:]).sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }),
        ]) {
            return problem
        }
        if algorithm?.trainingImage == nil {
            if let name = algorithm?.algorithmName {
                return "AlgorithmSpecification.AlgorithmName '\(name)' names an algorithm resource, which sagebox cannot serve: "
                    + "sagebox runs offline and has no algorithms of AWS Marketplace. Use a TrainingImage instead."
            }
            return "Either AlgorithmName or TrainingImage must be specified in AlgorithmSpecification."
        }
        var seen = Set<String>()
        for channel in request.inputDataConfig ?? [] {
            let name = channel.channelName ?? ""
            // The model's pattern `[A-Za-z0-9\.\-_]+` lets `.` and `..` through, which would put the
            // channel's data at /opt/ml/input or above it.
            if name == "." || name == ".." {
                return "Channel name '\(name)' is not a valid channel name: /opt/ml/input/data/\(name) is not a folder of its own."
            }
            if !seen.insert(name).inserted {
                return "Channel names must be unique within InputDataConfig: '\(name)' is used more than once."
            }
            guard let s3 = channel.dataSource?.s3DataSource else {
                return "Channel '\(name)' has no S3DataSource; sagebox serves S3 data sources only "
                    + "(it runs offline and has no FSx or EFS file systems)."
            }
            if !(s3.s3Uri ?? "").hasPrefix("s3://") {
                return "Channel '\(name)' S3Uri '\(s3.s3Uri ?? "")' is not an s3:// URI."
            }
        }
        if let path = request.outputDataConfig?.s3OutputPath, !path.hasPrefix("s3://") {
            return "OutputDataConfig.S3OutputPath '\(path)' is not an s3:// URI."
        }
        return nil
    }
}
