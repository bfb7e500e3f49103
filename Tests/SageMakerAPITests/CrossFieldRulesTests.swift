import Testing
import SageMakerAPI

/// The CreateProcessingJob rules the model cannot express; the texts are sagebox's own.
@Suite struct CrossFieldRulesTests {
    @Test func localPathOutsideProcessingFolder() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].s3Input?.localPath = "/data/raw"
        #expect(Fixtures.validationMessage(request)
            == "ProcessingInput 'raw' S3Input.LocalPath '/data/raw' must begin with '/opt/ml/processing/'.")
        request = Fixtures.validCreateRequest()
        request.processingOutputConfig?.outputs?[0].s3Output?.localPath = "/opt/ml/processingX/out"
        #expect(Fixtures.validationMessage(request) == "ProcessingOutput 'out' S3Output.LocalPath "
            + "'/opt/ml/processingX/out' must begin with '/opt/ml/processing/'.")
    }

    @Test func aNULInTheEntrypointArgumentsOrEnvironmentIsRefused() throws {
        var request = Fixtures.validCreateRequest()
        request.appSpecification?.containerEntrypoint = ["tr\u{0}ue"]
        #expect(Fixtures.validationMessage(request) == "AppSpecification.ContainerEntrypoint contains a NUL character, "
            + "which a process's arguments and environment cannot carry.")
        request = Fixtures.validCreateRequest()
        request.appSpecification?.containerArguments = ["ok", "a\u{0}"]
        #expect(Fixtures.validationMessage(request)?.hasPrefix("AppSpecification.ContainerArguments contains a NUL") == true)
        request = Fixtures.validCreateRequest()
        request.environment?["KEY"] = "v\u{0}"
        #expect(Fixtures.validationMessage(request)?.hasPrefix("Environment contains a NUL") == true)
        request = Fixtures.validCreateRequest()
        request.appSpecification?.containerEntrypoint = ["true"]
        try request.validate()
    }

    @Test func localPathCannotEscapeWithDotDot() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].s3Input?.localPath = "/opt/ml/processing/../../../etc"
        #expect(Fixtures.validationMessage(request) == "ProcessingInput 'raw' S3Input.LocalPath "
            + "'/opt/ml/processing/../../../etc' must not contain '..' segments: it must stay under '/opt/ml/processing/'.")
    }

    @Test func localPathMustNameASubfolder() {
        var request = Fixtures.validCreateRequest()
        request.processingOutputConfig?.outputs?[0].s3Output?.localPath = "/opt/ml/processing//"
        #expect(Fixtures.validationMessage(request)?.contains("must name a folder below '/opt/ml/processing/'") == true)
    }

    @Test func localPathRequiredUnlessAppManaged() throws {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].s3Input?.localPath = nil
        #expect(Fixtures.validationMessage(request)
            == "ProcessingInput 'raw' has no S3Input.LocalPath; it is required unless AppManaged is true.")
        request.processingInputs?[0].appManaged = true
        try request.validate()
        request.processingOutputConfig?.outputs?[0].s3Output?.localPath = nil
        #expect(Fixtures.validationMessage(request)
            == "ProcessingOutput 'out' has no S3Output.LocalPath; it is required unless AppManaged is true.")
    }

    @Test func duplicateInputLocalPath() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[1].s3Input?.localPath = "/opt/ml/processing/input/raw/"  // same folder
        #expect(Fixtures.validationMessage(request) == "ProcessingInputs LocalPath '/opt/ml/processing/input/raw/' "
            + "is used by more than one input ('raw' and 'stream').")
    }

    @Test func inputAndOutputShareLocalPath() {
        var request = Fixtures.validCreateRequest()
        request.processingOutputConfig?.outputs?[0].s3Output?.localPath = "/opt/ml/processing//input/./raw"
        #expect(Fixtures.validationMessage(request) == "LocalPath '/opt/ml/processing//input/./raw' is used by "
            + "both ProcessingInput 'raw' and ProcessingOutput 'out'; an input and an output cannot use the same LocalPath.")
    }

    @Test func gzipOnlyWithPipe() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[1].s3Input?.s3InputMode = "File"
        #expect(Fixtures.validationMessage(request) == "ProcessingInput 'stream' sets S3CompressionType 'Gzip' "
            + "with S3InputMode 'File'; Gzip is supported only with S3InputMode 'Pipe'.")
        request.processingInputs?[1].s3Input?.s3InputMode = nil  // File is the default
        #expect(Fixtures.validationMessage(request)?.contains("with S3InputMode 'File'") == true)
    }

    @Test func datasetDefinitionRejected() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0] = ProcessingInput(inputName: "athena", datasetDefinition: DatasetDefinition(
            localPath: "/opt/ml/processing/athena"))
        #expect(Fixtures.validationMessage(request) == "ProcessingInput 'athena' uses a DatasetDefinition, which "
            + "sagebox cannot serve: sagebox runs offline and cannot run Athena or Redshift queries. Use an S3Input instead.")
    }

    @Test func exactlyOneSourceAndDestination() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].datasetDefinition = DatasetDefinition()
        #expect(Fixtures.validationMessage(request)
            == "ProcessingInput 'raw' must specify exactly one of S3Input or DatasetDefinition.")
        request = Fixtures.validCreateRequest()
        request.processingOutputConfig?.outputs?[0].s3Output = nil
        #expect(Fixtures.validationMessage(request)
            == "ProcessingOutput 'out' must specify exactly one of S3Output or FeatureStoreOutput.")
    }

    @Test func featureStoreOutputRejected() {
        var request = Fixtures.validCreateRequest()
        request.processingOutputConfig?.outputs = [ProcessingOutput(outputName: "fs", featureStoreOutput:
            ProcessingFeatureStoreOutput(featureGroupName: "my-group"), appManaged: true)]
        #expect(Fixtures.validationMessage(request) == "ProcessingOutput 'fs' uses a FeatureStoreOutput "
            + "(FeatureGroupName 'my-group'), which sagebox cannot serve: sagebox runs offline and has no "
            + "SageMaker Feature Store. Use an S3Output instead.")
    }

    @Test func modelErrorsComeBeforeCrossFieldRules() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].s3Input?.localPath = "/elsewhere"
        request.processingJobName = "bad_name"
        #expect(Fixtures.validationMessage(request)?.hasPrefix("1 validation error detected: Value 'bad_name'") == true)
    }
}
