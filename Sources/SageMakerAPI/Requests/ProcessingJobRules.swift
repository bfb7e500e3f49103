/// The cross-field rules of CreateProcessingJob that the model cannot express (spec §1.1, §12).
/// AWS's texts for these are unknown or empty, so the messages are sagebox's own; each names the
/// input or output, the field and the value.
enum ProcessingJobRules {
    /// The first broken rule's message, or nil when the request passes them all.
    static func firstProblem(in request: CreateProcessingJobRequest) -> String? {
        if let problem = nulProblem(in: request) { return problem }
        let inputs = request.processingInputs ?? []
        let outputs = request.processingOutputConfig?.outputs ?? []
        for input in inputs {
            if let problem = problem(with: input) { return problem }
        }
        for output in outputs {
            if let problem = problem(with: output) { return problem }
        }
        return duplicateLocalPath(inputs: inputs, outputs: outputs)
    }

    /// The entrypoint, arguments and environment reach `execve` as C strings, where a NUL ends the
    /// string: `["tr\u{0}ue"]` would run `tr`. The model's patterns (`.*`) let NUL through.
    private static func nulProblem(in request: CreateProcessingJobRequest) -> String? {
        let app = request.appSpecification
        return nulProblem(fields: [
            ("AppSpecification.ContainerEntrypoint", app?.containerEntrypoint ?? []),
            ("AppSpecification.ContainerArguments", app?.containerArguments ?? []),
            ("Environment", (request.environment ?? [:]).sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }),
        ])
    }

    /// The first field (name, values) with a NUL in one of its values.
    static func nulProblem(fields: [(String, [String])]) -> String? {
        for (field, values) in fields where values.contains(where: { $0.utf8.contains(0) }) {
            return "\(field) contains a NUL character, which a process's arguments and environment cannot carry."
        }
        return nil
    }

    private static func problem(with input: ProcessingInput) -> String? {
        let name = "ProcessingInput '\(input.inputName ?? "")'"
        switch (input.s3Input, input.datasetDefinition) {
        case (nil, nil), (.some, .some):
            return "\(name) must specify exactly one of S3Input or DatasetDefinition."
        case (nil, .some):
            return "\(name) uses a DatasetDefinition, which sagebox cannot serve: sagebox runs offline "
                + "and cannot run Athena or Redshift queries. Use an S3Input instead."
        case (let s3Input?, nil):
            if let problem = localPathProblem(s3Input.localPath, of: name, field: "S3Input.LocalPath",
                                              appManaged: input.appManaged == true) {
                return problem
            }
            let mode = s3Input.s3InputMode ?? ProcessingS3InputMode.file.rawValue  // AWS's default
            if ProcessingS3CompressionType(rawValue: s3Input.s3CompressionType ?? "") == .gzip,
               ProcessingS3InputMode(rawValue: mode) != .pipe {
                return "\(name) sets S3CompressionType 'Gzip' with S3InputMode '\(mode)'; "
                    + "Gzip is supported only with S3InputMode 'Pipe'."
            }
            return nil
        }
    }

    private static func problem(with output: ProcessingOutput) -> String? {
        let name = "ProcessingOutput '\(output.outputName ?? "")'"
        switch (output.s3Output, output.featureStoreOutput) {
        case (nil, nil), (.some, .some):
            return "\(name) must specify exactly one of S3Output or FeatureStoreOutput."
        case (nil, let featureStore?):
            return "\(name) uses a FeatureStoreOutput (FeatureGroupName '\(featureStore.featureGroupName ?? "")'), "
                + "which sagebox cannot serve: sagebox runs offline and has no SageMaker Feature Store. "
                + "Use an S3Output instead."
        case (let s3Output?, nil):
            // The model makes S3Output.LocalPath optional, but sagebox must know which folder to upload.
            return localPathProblem(s3Output.localPath, of: name, field: "S3Output.LocalPath",
                                    appManaged: output.appManaged == true)
        }
    }

    private static func localPathProblem(_ localPath: String?, of name: String, field: String,
                                         appManaged: Bool) -> String? {
        guard let localPath else {
            return appManaged ? nil : "\(name) has no \(field); it is required unless AppManaged is true."
        }
        return ProcessingLocalPath.problem(with: localPath).map { "\(name) \(field) '\(localPath)' \($0)." }
    }

    /// Input LocalPaths must be unique, and no output may use an input's LocalPath.
    private static func duplicateLocalPath(inputs: [ProcessingInput], outputs: [ProcessingOutput]) -> String? {
        var inputNames: [String: String] = [:]  // normalized LocalPath -> InputName
        for input in inputs {
            guard let path = input.s3Input?.localPath else { continue }
            let key = ProcessingLocalPath.normalized(path)
            if inputNames[key] != nil {
                return "ProcessingInputs LocalPath '\(path)' is used by more than one input "
                    + "('\(inputNames[key]!)' and '\(input.inputName ?? "")')."
            }
            inputNames[key] = input.inputName ?? ""
        }
        for output in outputs {
            guard let path = output.s3Output?.localPath,
                  let inputName = inputNames[ProcessingLocalPath.normalized(path)] else { continue }
            return "LocalPath '\(path)' is used by both ProcessingInput '\(inputName)' and ProcessingOutput "
                + "'\(output.outputName ?? "")'; an input and an output cannot use the same LocalPath."
        }
        return nil
    }
}
