import Foundation
import Testing
import SageMakerAPI

/// The generated enums mirror the model's value lists.
@Suite struct EnumTests {
    @Test func instanceTypeListIsTheModels() throws {
        let script = """
            import botocore.loaders
            m = botocore.loaders.Loader().load_service_model('sagemaker', 'service-2')
            print('\\n'.join(m['shapes']['ProcessingInstanceType']['enum']))
            """
        let result = try RepositoryTool.python(["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let modelValues = result.stdout.split(separator: "\n").map(String.init)
        #expect(ProcessingInstanceType.allCases.map(\.rawValue) == modelValues)
        #expect(ProcessingInstanceType.allCases.count > 100)
        #expect(ProcessingInstanceType(rawValue: "ml.t3.medium") == .mlT3Medium)
        #expect(ProcessingInstanceType(rawValue: "ml.m5.xlarge") == .mlM5Xlarge)
        #expect(ProcessingInstanceType.allCases.contains { $0.rawValue.hasPrefix("ml.g7e.") })
    }

    @Test func caseNamesAreSanitized() {
        #expect(ProcessingS3CompressionType(rawValue: "None") == ProcessingS3CompressionType.none)
        #expect(ProcessingS3InputMode(rawValue: "Pipe") == .pipe)
        #expect(AthenaResultFormat.textfile.rawValue == "TEXTFILE")
        #expect(ProcessingJobStatus.allCases.map(\.rawValue) == ["InProgress", "Completed", "Failed", "Stopping", "Stopped"])
        #expect(ProcessingJobStatus.inProgress.rawValue == "InProgress")
    }

    @Test func operationsMapToTargets() {
        #expect(SageMakerOperation(target: "SageMaker.CreateProcessingJob") == .createProcessingJob)
        #expect(SageMakerOperation.deleteProcessingJob.target == "SageMaker.DeleteProcessingJob")
        #expect(SageMakerOperation(target: "SageMaker.CreateTrainingJob") == .createTrainingJob)
        #expect(SageMakerOperation(target: "SageMaker.CreateEndpoint") == nil)
        #expect(SageMakerOperation(target: "Other.ListTags") == nil)
        #expect(SageMakerOperation(target: "SageMaker.UpdateModelPackage") == .updateModelPackage)
        #expect(SageMakerOperation(target: "SageMaker.ListPipelineExecutionSteps") == .listPipelineExecutionSteps)
        #expect(SageMakerOperation(target: "SageMaker.RetryPipelineExecution") == .retryPipelineExecution)
        #expect(SageMakerOperation.allCases.count == 38)
    }

    /// `SortOrder` also exists in Foundation; code importing both can still name the API's enum.
    @Test func sortOrderQualifiedNameResolves() {
        #expect(SageMakerAPI.SortOrder(rawValue: "Descending") == .descending)
    }
}
