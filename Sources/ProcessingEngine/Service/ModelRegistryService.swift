import Foundation
import JobStore
import SageMakerAPI

/// Models and the model registry (CreateModel ... UpdateModelPackage), independent of any wire format.
/// Nothing here deploys or serves anything: a model and its packages are records a client describes,
/// lists and approves. Errors are `AWSServiceError`s worded as AWS words them.
public struct ModelRegistryService: Sendable {
    public let root: SageboxRoot

    public init(root: SageboxRoot) {
        self.root = root
    }

    var store: ModelStore { root.models }

    // MARK: Models

    public func createModel(_ request: CreateModelInput) throws -> CreateModelOutput {
        try request.validate()
        let arn = SageMakerArn.model(request.modelName!).description
        let record = ModelRecord(name: request.modelName!, arn: arn, request: try Self.json(request), creationTime: now())
        do {
            try store.insert(record, tags: Self.keyValues(request.tags))
        } catch ModelStoreError.alreadyExists(let existing) {
            throw AWSServiceError.validation("Cannot create already existing model \"\(existing)\".")
        }
        return CreateModelOutput(modelArn: arn)
    }

    public func describeModel(_ request: DescribeModelInput) throws -> DescribeModelOutput {
        try request.validate()
        let model = try existingModel(request.modelName!)
        var response: DescribeModelOutput = try Self.decode(model.request)
        response.modelName = model.name
        response.modelArn = model.arn
        response.creationTime = Date(timeIntervalSince1970: model.creationTime)
        response.enableNetworkIsolation = response.enableNetworkIsolation ?? false
        return response
    }

    public func listModels(_ request: ListModelsInput) throws -> ListModelsOutput {
        try request.validate()
        var query = Self.query(sortBy: request.sortBy, sortOrder: request.sortOrder, defaultOrder: .descending,
                               maxResults: request.maxResults, nameContains: request.nameContains,
                               after: request.creationTimeAfter, before: request.creationTimeBefore)
        let page = try Self.paged(&query, token: request.nextToken) { try store.models($0) }
        return ListModelsOutput(
            models: page.rows.map { ModelSummary(modelName: $0.name, modelArn: $0.arn, creationTime: Date(timeIntervalSince1970: $0.creationTime)) },
            nextToken: page.nextToken)
    }

    public func deleteModel(_ request: DeleteModelInput) throws {
        try request.validate()
        let arn = SageMakerArn.model(request.modelName!).description
        guard try store.deleteModel(arn: arn) else { throw Self.noSuchModel(arn) }
    }

    private func existingModel(_ name: String) throws -> ModelRecord {
        let arn = SageMakerArn.model(name).description
        guard let model = try store.model(arn: arn) else { throw Self.noSuchModel(arn) }
        return model
    }

    private static func noSuchModel(_ arn: String) -> AWSServiceError {
        .validation("Could not find model \"\(arn)\".")
    }

    // MARK: Model package groups

    public func createModelPackageGroup(_ request: CreateModelPackageGroupInput) throws -> CreateModelPackageGroupOutput {
        try request.validate()
        let arn = SageMakerArn.modelPackageGroup(request.modelPackageGroupName!).description
        let record = ModelPackageGroupRecord(name: request.modelPackageGroupName!, arn: arn, request: try Self.json(request), creationTime: now())
        do {
            try store.insert(record, tags: Self.keyValues(request.tags))
        } catch ModelStoreError.alreadyExists(let existing) {
            throw AWSServiceError.validation("Model Package Group already exists: \(existing)")
        }
        return CreateModelPackageGroupOutput(modelPackageGroupArn: arn)
    }

    public func describeModelPackageGroup(_ request: DescribeModelPackageGroupInput) throws -> DescribeModelPackageGroupOutput {
        try request.validate()
        let group = try existingGroup(request.modelPackageGroupName!)
        let created: CreateModelPackageGroupInput = try Self.decode(group.request)
        return DescribeModelPackageGroupOutput(
            modelPackageGroupName: group.name, modelPackageGroupArn: group.arn,
            modelPackageGroupDescription: created.modelPackageGroupDescription,
            creationTime: Date(timeIntervalSince1970: group.creationTime), createdBy: UserContext(),
            modelPackageGroupStatus: ModelPackageGroupStatus.completed.rawValue, managedConfiguration: created.managedConfiguration)
    }

    public func listModelPackageGroups(_ request: ListModelPackageGroupsInput) throws -> ListModelPackageGroupsOutput {
        try request.validate()
        var query = Self.query(sortBy: request.sortBy, sortOrder: request.sortOrder, defaultOrder: .ascending,
                               maxResults: request.maxResults, nameContains: request.nameContains,
                               after: request.creationTimeAfter, before: request.creationTimeBefore)
        let page = try Self.paged(&query, token: request.nextToken) { try store.groups($0) }
        let summaries = try page.rows.map { group in
            let created: CreateModelPackageGroupInput = try Self.decode(group.request)
            return ModelPackageGroupSummary(
                modelPackageGroupName: group.name, modelPackageGroupArn: group.arn,
                modelPackageGroupDescription: created.modelPackageGroupDescription,
                creationTime: Date(timeIntervalSince1970: group.creationTime),
                modelPackageGroupStatus: ModelPackageGroupStatus.completed.rawValue, managedConfiguration: created.managedConfiguration)
        }
        return ListModelPackageGroupsOutput(modelPackageGroupSummaryList: summaries, nextToken: page.nextToken)
    }

    /// Refuses a group that still holds packages (the model declares ConflictException for it).
    public func deleteModelPackageGroup(_ request: DeleteModelPackageGroupInput) throws {
        try request.validate()
        let arn = Self.groupArn(request.modelPackageGroupName!)
        do {
            guard try store.deleteGroup(arn: arn) else { throw Self.noSuchGroup(arn) }
        } catch ModelStoreError.groupHasPackages(let name, let count) {
            throw AWSServiceError(code: "ConflictException", message:
                "Model Package Group \(name) cannot be deleted: it still holds \(count) model package\(count == 1 ? "" : "s"). Delete them first.")
        }
    }

    private func existingGroup(_ nameOrArn: String) throws -> ModelPackageGroupRecord {
        let arn = Self.groupArn(nameOrArn)
        guard let group = try store.group(arn: arn) else { throw Self.noSuchGroup(arn) }
        return group
    }

    /// The ARN a ModelPackageGroupName (a name or an ARN, as the model allows) stands for.
    static func groupArn(_ nameOrArn: String) -> String {
        lowercasedArn(nameOrArn, of: "model-package-group") ?? SageMakerArn.modelPackageGroup(nameOrArn).description
    }

    /// `nameOrArn` as the stored ARN (its name part lowercased) when it is an ARN of `resourceType`.
    static func lowercasedArn(_ nameOrArn: String, of resourceType: String) -> String? {
        SageMakerArn(parsing: nameOrArn, resourceType: resourceType).map {
            SageMakerArn($0.resourceType, $0.name.lowercased(), region: $0.region, accountID: $0.accountID).description
        }
    }

    private static func noSuchGroup(_ arn: String) -> AWSServiceError {
        .validation("ModelPackageGroup \(arn) does not exist.")
    }

    // MARK: Helpers

    /// One page of a registry listing and the NextToken of the next (nil on the last page).
    static func paged<Row>(_ query: inout RegistryListQuery, token: String?,
                           _ fetch: (RegistryListQuery) throws -> (rows: [Row], more: Bool)) throws -> (rows: [Row], nextToken: String?) {
        if let token { query.offset = try ListToken.offset(from: token, fingerprint: query.fingerprintParts) }
        let page = try fetch(query)
        return (page.rows, page.more ? ListToken.make(offset: query.offset + page.rows.count, fingerprint: query.fingerprintParts) : nil)
    }

    /// The filters, order and page size every registry listing takes; each has its own default order.
    static func query(sortBy: String?, sortOrder: String?, defaultOrder: SageMakerAPI.SortOrder, maxResults: Int?,
                      nameContains: String?, after: Date?, before: Date?) -> RegistryListQuery {
        var query = RegistryListQuery()
        query.sortByName = sortBy == "Name"
        query.ascending = (sortOrder.flatMap(SageMakerAPI.SortOrder.init(rawValue:)) ?? defaultOrder) == .ascending
        query.limit = maxResults ?? 10
        query.nameContains = nameContains
        query.creationTimeAfter = after?.timeIntervalSince1970
        query.creationTimeBefore = before?.timeIntervalSince1970
        return query
    }

    static func keyValues(_ tags: [Tag]?) -> [(key: String, value: String)] {
        (tags ?? []).map(JobService.keyValue)
    }

    static func json(_ request: some Encodable) throws -> String {
        String(decoding: try SageMakerJSON.encoder.encode(request), as: UTF8.self)
    }

    /// A stored request read back, or read as the Describe answer that shares its members' names.
    static func decode<T: Decodable>(_ json: String) throws -> T {
        try SageMakerJSON.decoder.decode(T.self, from: Data(json.utf8))
    }
}
