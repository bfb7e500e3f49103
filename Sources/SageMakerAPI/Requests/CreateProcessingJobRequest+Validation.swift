extension CreateProcessingJobRequest {
    /// Checks the request as CreateProcessingJob does: first the model's constraints (reported in
    /// AWS's `N validation errors detected: …` form), then, if those pass, the cross-field rules:
    /// LocalPaths under `/opt/ml/processing/`, unique and distinct between inputs and outputs,
    /// Gzip only with Pipe, exactly one source per input and destination per output, and no
    /// DatasetDefinition or FeatureStoreOutput (sagebox runs offline).
    public func validate() throws(AWSServiceError) {
        try validateModel()
        if let problem = ProcessingJobRules.firstProblem(in: self) {
            throw .validation(problem)
        }
    }
}
