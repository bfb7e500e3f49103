import Foundation
import JobStore
import SageMakerAPI

/// CreateModelPackage, DescribeModelPackage, ListModelPackages and UpdateModelPackage: versioned
/// packages in a group (`model-package/<group>/<version>`) and unversioned ones of their own.
extension ModelRegistryService {
    /// With `creatingMissingGroup` (a pipeline's RegisterModel step: spec §"open questions" 4 recommends it),
    /// a missing group is created first; a client's CreateModelPackage into a missing group is refused.
    public func createModelPackage(_ request: CreateModelPackageInput, creatingMissingGroup: Bool = false) throws -> CreateModelPackageOutput {
        try request.validate()
        if creatingMissingGroup, let groupName = request.modelPackageGroupName, try store.group(arn: Self.groupArn(groupName)) == nil {
            do {
                _ = try createModelPackageGroup(CreateModelPackageGroupInput(modelPackageGroupName: groupName))
            } catch let error as AWSServiceError where error.message.hasPrefix("Model Package Group already exists") {
                // Another request created it in between: use it.
            }
        }
        let json = try Self.json(request)
        let time = now()
        let tags = Self.keyValues(request.tags)
        switch (request.modelPackageName, request.modelPackageGroupName) {
        case (.some, .some):
            throw AWSServiceError.validation(
                "Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.")
        case (nil, nil):
            throw AWSServiceError.validation("Missing ARN.")
        case (nil, let groupName?):
            do {
                let package = try store.insertVersion(inGroup: Self.groupArn(groupName), clientToken: request.clientToken, tags: tags) { group, version in
                    ModelPackageRecord(
                        groupId: group.id, name: group.name, version: version,
                        arn: SageMakerArn.modelPackage(group.name, version: version).description, request: json,
                        approvalStatus: request.modelApprovalStatus.flatMap(ModelApprovalStatus.init(rawValue:)) ?? .pendingManualApproval,
                        customerMetadataProperties: request.customerMetadataProperties, clientToken: request.clientToken,
                        creationTime: time, lastModifiedTime: time)
                }
                return CreateModelPackageOutput(modelPackageArn: package.arn)
            } catch ModelStoreError.noSuchGroup {
                throw AWSServiceError.validation("Model Package Group does not exist.")
            }
        case (let name?, nil):
            // An unversioned package has no approval status (the model: it "does not apply").
            let record = ModelPackageRecord(
                name: name, arn: SageMakerArn.modelPackage(name).description, request: json,
                customerMetadataProperties: request.customerMetadataProperties, clientToken: request.clientToken,
                creationTime: time, lastModifiedTime: time)
            do {
                return CreateModelPackageOutput(modelPackageArn: try store.insertUnversioned(record, tags: tags).arn)
            } catch ModelStoreError.alreadyExists(let arn) {
                throw AWSServiceError.validation("Model Package already exists: \(arn)")
            }
        }
    }

    public func describeModelPackage(_ request: DescribeModelPackageInput) throws -> DescribeModelPackageOutput {
        try request.validate()
        let package = try existingPackage(request.modelPackageName!)
        var response: DescribeModelPackageOutput = try Self.decode(package.request)
        response.modelPackageName = package.name
        response.modelPackageGroupName = package.isVersioned ? package.name : nil
        response.modelPackageVersion = package.version
        response.modelPackageArn = package.arn
        response.creationTime = Date(timeIntervalSince1970: package.creationTime)
        response.lastModifiedTime = Date(timeIntervalSince1970: package.lastModifiedTime)
        // Nothing is validated or scanned: the package is complete as soon as it is recorded.
        response.modelPackageStatus = ModelPackageStatus.completed.rawValue
        response.modelPackageStatusDetails = ModelPackageStatusDetails(validationStatuses: [])
        response.modelApprovalStatus = package.approvalStatus?.rawValue
        response.approvalDescription = package.approvalDescription
        response.customerMetadataProperties = package.customerMetadataProperties
        response.certifyForMarketplace = response.certifyForMarketplace ?? false
        if package.isVersioned { response.createdBy = UserContext() }
        return response
    }

    /// With a ModelPackageGroupName, that group's versions; otherwise the packages of ModelPackageType
    /// (Unversioned by default, as the model documents).
    public func listModelPackages(_ request: ListModelPackagesInput) throws -> ListModelPackagesOutput {
        try request.validate()
        var query = Self.query(sortBy: request.sortBy, sortOrder: request.sortOrder, defaultOrder: .ascending,
                               maxResults: request.maxResults, nameContains: request.nameContains,
                               after: request.creationTimeAfter, before: request.creationTimeBefore)
        query.approvalStatus = request.modelApprovalStatus.flatMap(ModelApprovalStatus.init(rawValue:))
        query.packageType = request.modelPackageType.flatMap(ModelPackageType.init(rawValue:)) ?? .unversioned
        if let groupName = request.modelPackageGroupName {
            // An unknown group lists nothing rather than failing: its id matches no package.
            query.groupId = try store.group(arn: Self.groupArn(groupName))?.id ?? -1
            query.packageType = .versioned
        }
        let page = try Self.paged(&query, token: request.nextToken) { try store.packages($0) }
        let summaries = try page.rows.map { package in
            let created: CreateModelPackageInput = try Self.decode(package.request)
            // A version's summary names its group, not itself (AWS's list-model-packages output has no ModelPackageName).
            return ModelPackageSummary(
                modelPackageName: package.isVersioned ? nil : package.name, modelPackageGroupName: package.isVersioned ? package.name : nil,
                modelPackageVersion: package.version, modelPackageArn: package.arn,
                modelPackageDescription: created.modelPackageDescription,
                creationTime: Date(timeIntervalSince1970: package.creationTime),
                modelPackageStatus: ModelPackageStatus.completed.rawValue, modelApprovalStatus: package.approvalStatus?.rawValue)
        }
        return ListModelPackagesOutput(modelPackageSummaryList: summaries, nextToken: page.nextToken)
    }

    /// Approval (ModelApprovalStatus, ApprovalDescription) and CustomerMetadataProperties; the rest of
    /// the package stays as created.
    public func updateModelPackage(_ request: UpdateModelPackageInput) throws -> UpdateModelPackageOutput {
        try request.validate()
        let arn = try existingPackage(request.modelPackageArn!).arn
        let approval = request.modelApprovalStatus.flatMap(ModelApprovalStatus.init(rawValue:))
        let updated = try store.updatePackage(arn: arn) { package in
            if approval != nil, !package.isVersioned {
                throw AWSServiceError.validation("ModelApprovalStatus cannot be set on an unversioned model package \(package.arn).")
            }
            if let approval { package.approvalStatus = approval }
            if let description = request.approvalDescription { package.approvalDescription = description }
            var properties = package.customerMetadataProperties ?? [:]
            properties.merge(request.customerMetadataProperties ?? [:]) { _, new in new }
            for key in request.customerMetadataPropertiesToRemove ?? [] { properties[key] = nil }
            package.customerMetadataProperties = properties.isEmpty ? nil : properties
            package.lastModifiedTime = now()
        }
        guard let updated else { throw Self.noSuchPackage(arn) }
        return UpdateModelPackageOutput(modelPackageArn: updated.arn)
    }

    /// The package a ModelPackageName names: an ARN, `group/version`, or an unversioned package's name.
    private func existingPackage(_ nameOrArn: String) throws -> ModelPackageRecord {
        let arn = Self.packageArn(nameOrArn)
        guard let package = try store.package(arn: arn) else { throw Self.noSuchPackage(arn) }
        return package
    }

    static func packageArn(_ nameOrArn: String) -> String {
        if let arn = lowercasedArn(nameOrArn, of: "model-package") { return arn }
        let parts = nameOrArn.split(separator: "/", maxSplits: 1)
        if parts.count == 2, let version = Int(parts[1]) { return SageMakerArn.modelPackage(String(parts[0]), version: version).description }
        return SageMakerArn.modelPackage(nameOrArn).description
    }

    private static func noSuchPackage(_ arn: String) -> AWSServiceError {
        .validation("ModelPackage \(arn) does not exist.")
    }
}
