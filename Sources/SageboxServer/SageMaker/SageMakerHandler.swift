import Foundation
import Hummingbird
import ProcessingEngine
import SageMakerAPI

/// The SageMaker API (processing and training jobs, models and the model registry) in its JSON 1.1 form
/// (`X-Amz-Target: SageMaker.<Operation>`).
struct SageMakerHandler: Sendable {
    let service: JobService
    let registry: ModelRegistryService
    let pipelines: PipelineService
    let launcher: JobLauncher

    /// Answers one request whose target is `target`.
    func handle(target: String, body: Data) -> Response {
        do {
            return Reply.json(try perform(target: target, body: body))
        } catch let error as AWSServiceError {
            return Reply.json(error.jsonBody, status: error.httpStatus)
        } catch {
            let failure = AWSServiceError.internalFailure("\(error)")
            return Reply.json(failure.jsonBody, status: failure.httpStatus)
        }
    }

    private func perform(target: String, body: Data) throws -> Data {
        switch SageMakerOperation(target: target) {
        case .createProcessingJob:
            let request = try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: body)
            let response = try service.createProcessingJob(request)
            launcher.start(jobNamed: request.processingJobName!)
            return try SageMakerJSON.encodeResponse(response)
        case .describeProcessingJob:
            let request = try SageMakerJSON.decodeRequest(DescribeProcessingJobRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(service.describeProcessingJob(request))
        case .listProcessingJobs:
            let request = try SageMakerJSON.decodeRequest(ListProcessingJobsRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(service.listProcessingJobs(request))
        case .deleteProcessingJob:
            let request = try SageMakerJSON.decodeRequest(DeleteProcessingJobRequest.self, from: body)
            try service.deleteProcessingJob(request)
            return Data("{}".utf8)
        case .stopProcessingJob:
            // The job's runner (this server's thread, or a CLI runner process) sees the request and stops it.
            let request = try SageMakerJSON.decodeRequest(StopProcessingJobRequest.self, from: body)
            try service.stopProcessingJob(request)
            return Data("{}".utf8)
        case .createTrainingJob:
            let request = try SageMakerJSON.decodeRequest(CreateTrainingJobRequest.self, from: body)
            let response = try service.createTrainingJob(request)
            launcher.start(jobNamed: request.trainingJobName!, kind: .training)
            return try SageMakerJSON.encodeResponse(response)
        case .describeTrainingJob:
            let request = try SageMakerJSON.decodeRequest(DescribeTrainingJobRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(service.describeTrainingJob(request))
        case .listTrainingJobs:
            let request = try SageMakerJSON.decodeRequest(ListTrainingJobsRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(service.listTrainingJobs(request))
        case .stopTrainingJob:
            let request = try SageMakerJSON.decodeRequest(StopTrainingJobRequest.self, from: body)
            try service.stopTrainingJob(request)
            return Data("{}".utf8)
        case .addTags:
            let request = try SageMakerJSON.decodeRequest(AddTagsInput.self, from: body)
            return try SageMakerJSON.encodeResponse(service.addTags(request))
        case .listTags:
            let request = try SageMakerJSON.decodeRequest(ListTagsInput.self, from: body)
            return try SageMakerJSON.encodeResponse(service.listTags(request))
        case .deleteTags:
            let request = try SageMakerJSON.decodeRequest(DeleteTagsInput.self, from: body)
            return try SageMakerJSON.encodeResponse(service.deleteTags(request))
        case .createModel:
            let request = try SageMakerJSON.decodeRequest(CreateModelInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.createModel(request))
        case .describeModel:
            let request = try SageMakerJSON.decodeRequest(DescribeModelInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.describeModel(request))
        case .listModels:
            let request = try SageMakerJSON.decodeRequest(ListModelsInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.listModels(request))
        case .deleteModel:
            let request = try SageMakerJSON.decodeRequest(DeleteModelInput.self, from: body)
            try registry.deleteModel(request)
            return Data("{}".utf8)
        case .createModelPackageGroup:
            let request = try SageMakerJSON.decodeRequest(CreateModelPackageGroupInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.createModelPackageGroup(request))
        case .describeModelPackageGroup:
            let request = try SageMakerJSON.decodeRequest(DescribeModelPackageGroupInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.describeModelPackageGroup(request))
        case .listModelPackageGroups:
            let request = try SageMakerJSON.decodeRequest(ListModelPackageGroupsInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.listModelPackageGroups(request))
        case .deleteModelPackageGroup:
            let request = try SageMakerJSON.decodeRequest(DeleteModelPackageGroupInput.self, from: body)
            try registry.deleteModelPackageGroup(request)
            return Data("{}".utf8)
        case .createModelPackage:
            let request = try SageMakerJSON.decodeRequest(CreateModelPackageInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.createModelPackage(request))
        case .describeModelPackage:
            let request = try SageMakerJSON.decodeRequest(DescribeModelPackageInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.describeModelPackage(request))
        case .listModelPackages:
            let request = try SageMakerJSON.decodeRequest(ListModelPackagesInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.listModelPackages(request))
        case .updateModelPackage:
            let request = try SageMakerJSON.decodeRequest(UpdateModelPackageInput.self, from: body)
            return try SageMakerJSON.encodeResponse(registry.updateModelPackage(request))
        case .createPipeline:
            let request = try SageMakerJSON.decodeRequest(CreatePipelineRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.createPipeline(request))
        case .updatePipeline:
            let request = try SageMakerJSON.decodeRequest(UpdatePipelineRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.updatePipeline(request))
        case .describePipeline:
            let request = try SageMakerJSON.decodeRequest(DescribePipelineRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.describePipeline(request))
        case .listPipelines:
            let request = try SageMakerJSON.decodeRequest(ListPipelinesRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.listPipelines(request))
        case .deletePipeline:
            let request = try SageMakerJSON.decodeRequest(DeletePipelineRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.deletePipeline(request))
        case .listPipelineVersions:
            let request = try SageMakerJSON.decodeRequest(ListPipelineVersionsRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.listPipelineVersions(request))
        case .describePipelineExecution:
            let request = try SageMakerJSON.decodeRequest(DescribePipelineExecutionRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.describePipelineExecution(request))
        case .listPipelineExecutions:
            let request = try SageMakerJSON.decodeRequest(ListPipelineExecutionsRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.listPipelineExecutions(request))
        case .listPipelineExecutionSteps:
            let request = try SageMakerJSON.decodeRequest(ListPipelineExecutionStepsRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.listPipelineExecutionSteps(request))
        case .listPipelineParametersForExecution:
            let request = try SageMakerJSON.decodeRequest(ListPipelineParametersForExecutionRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.listPipelineParametersForExecution(request))
        case .describePipelineDefinitionForExecution:
            let request = try SageMakerJSON.decodeRequest(DescribePipelineDefinitionForExecutionRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.describePipelineDefinitionForExecution(request))
        case .stopPipelineExecution:
            let request = try SageMakerJSON.decodeRequest(StopPipelineExecutionRequest.self, from: body)
            return try SageMakerJSON.encodeResponse(pipelines.stopPipelineExecution(request))
        case .startPipelineExecution:
            let request = try SageMakerJSON.decodeRequest(StartPipelineExecutionRequest.self, from: body)
            let started = try pipelines.start(request)
            // A retried request (the same ClientRequestToken) gets the execution already running.
            if started.created { launcher.start(pipelineExecution: started.execution.arn) }
            return try SageMakerJSON.encodeResponse(StartPipelineExecutionResponse(pipelineExecutionArn: started.execution.arn))
        case .retryPipelineExecution:
            let request = try SageMakerJSON.decodeRequest(RetryPipelineExecutionRequest.self, from: body)
            let retry = try pipelines.retry(request)
            if retry.retried { launcher.start(pipelineExecution: retry.execution.arn, retrying: true) }
            return try SageMakerJSON.encodeResponse(RetryPipelineExecutionResponse(pipelineExecutionArn: retry.execution.arn))
        case nil:
            throw AWSServiceError.unknownOperation(target)
        }
    }
}
