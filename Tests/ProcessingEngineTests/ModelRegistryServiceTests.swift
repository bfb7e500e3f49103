import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// The registry's operations without HTTP: AWS's texts, versions per group, approval, list filters and
/// pages, the refused delete of a group with packages, and tags on the registry's ARNs.
@Suite struct ModelRegistryServiceTests {
    let root: SageboxRoot
    let registry: ModelRegistryService

    init() throws {
        root = try SageboxRoot(url: FileManager.default.temporaryDirectory.appending(path: "sagebox-registry-\(UUID().uuidString)"))
        registry = ModelRegistryService(root: root)
    }

    private func failure(_ body: () throws -> Void) -> AWSServiceError? {
        do { try body() } catch let error as AWSServiceError { return error } catch { return nil }
        return nil
    }

    private func model(_ name: String) -> CreateModelInput {
        CreateModelInput(modelName: name, primaryContainer: ContainerDefinition(image: "local/xgboost", modelDataUrl: "s3://lab/model.tar.gz"),
                         executionRoleArn: "arn:aws:iam::000000000000:role/SageMakerRole")
    }

    @discardableResult
    private func register(_ group: String, approval: ModelApprovalStatus? = nil, evaluation: String = "s3://lab/evaluation.json") throws -> String {
        var request = CreateModelPackageInput()
        request.modelPackageGroupName = group
        request.modelApprovalStatus = approval?.rawValue
        request.modelMetrics = ModelMetrics(modelQuality: ModelQuality(statistics: MetricsSource(contentType: "application/json", s3Uri: evaluation)))
        return try registry.createModelPackage(request).modelPackageArn!
    }

    private func group(_ name: String) throws {
        _ = try registry.createModelPackageGroup(CreateModelPackageGroupInput(modelPackageGroupName: name))
    }

    @Test func aModelIsDescribedAsCreatedAndItsNameIsTakenUntilDeleted() throws {
        let arn = try registry.createModel(model("Churn")).modelArn!
        #expect(arn == "arn:aws:sagemaker:us-east-1:000000000000:model/churn")
        let described = try registry.describeModel(DescribeModelInput(modelName: "Churn"))
        #expect(described.primaryContainer?.modelDataUrl == "s3://lab/model.tar.gz" && described.modelName == "Churn")
        #expect(failure { _ = try registry.createModel(model("churn")) }
            == .validation("Cannot create already existing model \"\(arn)\"."))
        try registry.deleteModel(DeleteModelInput(modelName: "Churn"))
        #expect(failure { _ = try registry.describeModel(DescribeModelInput(modelName: "Churn")) }
            == .validation("Could not find model \"\(arn)\"."))
    }

    @Test func versionsIncrementPerGroupAndApprovalDefaultsToPending() throws {
        try group("a")
        try group("b")
        #expect(try register("a").hasSuffix(":model-package/a/1"))
        #expect(try register("a", approval: .approved).hasSuffix(":model-package/a/2"))
        #expect(try register("b").hasSuffix(":model-package/b/1"))
        let first = try registry.describeModelPackage(DescribeModelPackageInput(modelPackageName: "a/1"))
        #expect(first.modelApprovalStatus == "PendingManualApproval" && first.modelPackageStatus == "Completed")
        #expect(first.modelMetrics?.modelQuality?.statistics?.s3Uri == "s3://lab/evaluation.json")
        #expect(failure { try register("missing") } == .validation("Model Package Group does not exist."))
    }

    @Test func aPipelineRegistrationCreatesItsMissingGroup() throws {
        let request = CreateModelPackageInput(modelPackageGroupName: "PipelineGroup")
        #expect(failure { _ = try registry.createModelPackage(request) } == .validation("Model Package Group does not exist."))
        #expect(try registry.createModelPackage(request, creatingMissingGroup: true).modelPackageArn?.hasSuffix("/pipelinegroup/1") == true)
        #expect(try registry.createModelPackage(request, creatingMissingGroup: true).modelPackageArn?.hasSuffix("/pipelinegroup/2") == true)
        let groups = try registry.listModelPackageGroups(ListModelPackageGroupsInput()).modelPackageGroupSummaryList ?? []
        #expect(groups.map(\.modelPackageGroupName) == ["PipelineGroup"])
    }

    @Test func updateModelPackageApprovesAndMergesMetadata() throws {
        try group("g")
        var create = CreateModelPackageInput()
        create.modelPackageGroupName = "g"
        create.customerMetadataProperties = ["run": "1", "old": "x"]
        let arn = try registry.createModelPackage(create).modelPackageArn!
        var update = UpdateModelPackageInput(modelPackageArn: arn)
        update.modelApprovalStatus = "Approved"
        update.approvalDescription = "good enough"
        update.customerMetadataProperties = ["reviewer": "ana"]
        update.customerMetadataPropertiesToRemove = ["old"]
        #expect(try registry.updateModelPackage(update).modelPackageArn == arn)
        let described = try registry.describeModelPackage(DescribeModelPackageInput(modelPackageName: arn))
        #expect(described.modelApprovalStatus == "Approved" && described.approvalDescription == "good enough")
        #expect(described.customerMetadataProperties == ["run": "1", "reviewer": "ana"])
        #expect(described.lastModifiedTime! >= described.creationTime!)
    }

    @Test func listModelPackagesFiltersByGroupAndApprovalAndPages() throws {
        try group("g")
        try group("h")
        try register("g")
        try register("g", approval: .approved)
        try register("g", approval: .rejected)
        try register("h", approval: .approved)
        var request = ListModelPackagesInput(modelPackageGroupName: "g")
        #expect(try registry.listModelPackages(request).modelPackageSummaryList?.compactMap(\.modelPackageVersion) == [1, 2, 3])
        request.modelApprovalStatus = "Approved"
        #expect(try registry.listModelPackages(request).modelPackageSummaryList?.map(\.modelPackageArn!) == [
            SageMakerArn.modelPackage("g", version: 2).description])
        var paged = ListModelPackagesInput(maxResults: 2, modelPackageGroupName: "g")
        let first = try registry.listModelPackages(paged)
        paged.nextToken = first.nextToken
        let second = try registry.listModelPackages(paged)
        #expect(first.modelPackageSummaryList?.count == 2 && second.modelPackageSummaryList?.count == 1 && second.nextToken == nil)
        // A token belongs to its filters.
        var other = ListModelPackagesInput(modelPackageGroupName: "h")
        other.nextToken = first.nextToken
        #expect(failure { _ = try registry.listModelPackages(other) }?.code == "ValidationException")
    }

    @Test func aGroupWithPackagesIsNotDeleted() throws {
        try group("kept")
        try register("kept")
        #expect(failure { try registry.deleteModelPackageGroup(DeleteModelPackageGroupInput(modelPackageGroupName: "kept")) }?.code
            == "ConflictException")
        #expect(try registry.describeModelPackageGroup(DescribeModelPackageGroupInput(modelPackageGroupName: "kept")).modelPackageGroupName == "kept")
        try group("gone")
        try registry.deleteModelPackageGroup(DeleteModelPackageGroupInput(modelPackageGroupName: "gone"))
        let arn = SageMakerArn.modelPackageGroup("gone").description
        #expect(failure { _ = try registry.describeModelPackageGroup(DescribeModelPackageGroupInput(modelPackageGroupName: arn)) }
            == .validation("ModelPackageGroup \(arn) does not exist."))
    }

    @Test func tagsWorkOnRegistryArnsThroughTheJobServiceTagOperations() throws {
        let jobs = JobService(root: root)
        let arn = try registry.createModel(model("tagged")).modelArn!
        _ = try jobs.addTags(AddTagsInput(resourceArn: arn, tags: [Tag(key: "team", value: "ml")]))
        #expect(try jobs.listTags(ListTagsInput(resourceArn: arn)).tags == [Tag(key: "team", value: "ml")])
        _ = try jobs.deleteTags(DeleteTagsInput(resourceArn: arn, tagKeys: ["team"]))
        #expect(try jobs.listTags(ListTagsInput(resourceArn: arn)).tags == [])
        let unknown = SageMakerArn.model("nobody").description
        #expect(failure { _ = try jobs.listTags(ListTagsInput(resourceArn: unknown)) } == .validation("Could not find resource \(unknown)"))
    }
}
