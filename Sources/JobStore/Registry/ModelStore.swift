import GRDB
import SageMakerAPI

/// Models, model package groups and model packages, with their tags, in the root's SQLite database
/// (beside the jobs). Every change is one write transaction, so a resource is never seen without the
/// tags it was created with, and two processes sharing the root never give one version twice.
public struct ModelStore: Sendable {
    public let database: any DatabaseWriter
    /// The most tags one resource may carry (SageMaker's per-resource limit, as for jobs).
    public static let maxTagsPerResource = 50

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    // MARK: Models

    /// Inserts a model with its tags; `alreadyExists` when its ARN is taken. Lookups go by ARN, which
    /// holds the name lowercased: names differing only in case are the same resource, as on AWS.
    @discardableResult
    public func insert(_ model: ModelRecord, tags: [(key: String, value: String)] = []) throws -> ModelRecord {
        try insertNew(model, arn: model.arn, tags: tags)
    }

    public func model(arn: String) throws -> ModelRecord? {
        try database.read { db in try ModelRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// Deletes a model and its tags; false when there was none.
    @discardableResult
    public func deleteModel(arn: String) throws -> Bool {
        try database.write { db in
            guard let model = try ModelRecord.filter(Column("arn") == arn).fetchOne(db) else { return false }
            try ResourceTagRecord.filter(Column("arn") == model.arn).deleteAll(db)
            return try model.delete(db)
        }
    }

    public func models(_ query: RegistryListQuery) throws -> (rows: [ModelRecord], more: Bool) {
        try database.read { db in try query.page(ModelRecord.all(), in: db) }
    }

    // MARK: Model package groups

    @discardableResult
    public func insert(_ group: ModelPackageGroupRecord, tags: [(key: String, value: String)] = []) throws -> ModelPackageGroupRecord {
        try insertNew(group, arn: group.arn, tags: tags)
    }

    public func group(arn: String) throws -> ModelPackageGroupRecord? {
        try database.read { db in try ModelPackageGroupRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// Deletes an empty group and its tags; false when there was none, `groupHasPackages` when it holds any.
    @discardableResult
    public func deleteGroup(arn: String) throws -> Bool {
        try database.write { db in
            guard let group = try ModelPackageGroupRecord.filter(Column("arn") == arn).fetchOne(db) else { return false }
            let count = try ModelPackageRecord.filter(Column("groupId") == group.id).fetchCount(db)
            if count > 0 { throw ModelStoreError.groupHasPackages(name: group.name, count: count) }
            try ResourceTagRecord.filter(Column("arn") == group.arn).deleteAll(db)
            return try group.delete(db)
        }
    }

    public func groups(_ query: RegistryListQuery) throws -> (rows: [ModelPackageGroupRecord], more: Bool) {
        try database.read { db in try query.page(ModelPackageGroupRecord.all(), in: db) }
    }

    // MARK: Model packages

    /// Adds the next version to the group with `groupArn`: `make` receives the group and the version
    /// (one more than the group's last, never reused) and returns the record to insert, all in one transaction.
    /// A `clientToken` some package already carries returns that package instead (a retried request).
    @discardableResult
    public func insertVersion(
        inGroup groupArn: String, clientToken: String? = nil, tags: [(key: String, value: String)] = [],
        _ make: (ModelPackageGroupRecord, Int) throws -> ModelPackageRecord
    ) throws -> ModelPackageRecord {
        try database.write { db in
            if let clientToken, let earlier = try ModelPackageRecord.filter(Column("clientToken") == clientToken).fetchOne(db) {
                return earlier
            }
            guard var group = try ModelPackageGroupRecord.filter(Column("arn") == groupArn).fetchOne(db) else {
                throw ModelStoreError.noSuchGroup(arn: groupArn)
            }
            group.lastVersion += 1
            try group.update(db)
            var package = try make(group, group.lastVersion)
            try package.insert(db)
            try Self.upsertTags(tags, arn: package.arn, in: db)
            return package
        }
    }

    /// Inserts an unversioned package; `alreadyExists` when its ARN (its name) is taken. A ClientToken some
    /// package already carries returns that package instead (a retried request).
    @discardableResult
    public func insertUnversioned(_ package: ModelPackageRecord, tags: [(key: String, value: String)] = []) throws -> ModelPackageRecord {
        if let token = package.clientToken,
           let earlier = try database.read({ db in try ModelPackageRecord.filter(Column("clientToken") == token).fetchOne(db) }) {
            return earlier
        }
        return try insertNew(package, arn: package.arn, tags: tags)
    }

    public func package(arn: String) throws -> ModelPackageRecord? {
        try database.read { db in try ModelPackageRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// Applies `change` to the package with `arn` in one transaction; nil when there is none.
    @discardableResult
    public func updatePackage(arn: String, _ change: (inout ModelPackageRecord) throws -> Void) throws -> ModelPackageRecord? {
        try database.write { db in
            guard var package = try ModelPackageRecord.filter(Column("arn") == arn).fetchOne(db) else { return nil }
            try change(&package)
            try package.update(db)
            return package
        }
    }

    public func packages(_ query: RegistryListQuery) throws -> (rows: [ModelPackageRecord], more: Bool) {
        try database.read { db in
            var request = ModelPackageRecord.all()
            if let groupId = query.groupId { request = request.filter(Column("groupId") == groupId) }
            if let status = query.approvalStatus { request = request.filter(Column("approvalStatus") == status) }
            switch query.packageType {
            case .versioned: request = request.filter(Column("version") != nil)
            case .unversioned: request = request.filter(Column("version") == nil)
            case .both: break
            }
            return try query.page(request, in: db)
        }
    }

    // MARK: Tags

    /// Whether a registry resource with this ARN exists (tags may be put only on one that does).
    public func resourceExists(arn: String) throws -> Bool {
        try database.read { db in
            try ModelRecord.filter(Column("arn") == arn).fetchCount(db) > 0
                || ModelPackageGroupRecord.filter(Column("arn") == arn).fetchCount(db) > 0
                || ModelPackageRecord.filter(Column("arn") == arn).fetchCount(db) > 0
        }
    }

    /// Adds tags to the resource, replacing the value of keys it has; returns all its tags in key order.
    /// More than `maxTagsPerResource` in the end throws `tooManyTags` and writes nothing.
    @discardableResult
    public func setTags(_ tags: [(key: String, value: String)], arn: String) throws -> [ResourceTagRecord] {
        try database.write { db in
            try Self.upsertTags(tags, arn: arn, in: db)
            return try ResourceTagRecord.filter(Column("arn") == arn).order(Column("key")).fetchAll(db)
        }
    }

    /// Removes the given keys from the resource's tags; keys it does not have are ignored.
    public func removeTags(keys: [String], arn: String) throws {
        guard !keys.isEmpty else { return }
        try database.write { db in
            _ = try ResourceTagRecord.filter(Column("arn") == arn && keys.contains(Column("key"))).deleteAll(db)
        }
    }

    /// The resource's tags in key order: those whose key sorts after `afterKey`, at most `limit`.
    public func tags(arn: String, afterKey: String? = nil, limit: Int? = nil) throws -> [ResourceTagRecord] {
        try database.read { db in
            var request = ResourceTagRecord.filter(Column("arn") == arn)
            if let afterKey { request = request.filter(Column("key") > afterKey) }
            if let limit { request = request.limit(limit) }
            return try request.order(Column("key")).fetchAll(db)
        }
    }

    /// Inserts a record whose ARN is not taken yet, with its tags, in one transaction.
    private func insertNew<Record: MutablePersistableRecord & Sendable>(
        _ record: Record, arn: String, tags: [(key: String, value: String)]
    ) throws -> Record {
        try database.write { db in
            if try Record.filter(Column("arn") == arn).fetchCount(db) > 0 { throw ModelStoreError.alreadyExists(arn: arn) }
            var record = record
            try record.insert(db)
            try Self.upsertTags(tags, arn: arn, in: db)
            return record
        }
    }

    /// Upserts inside the caller's transaction (a later duplicate key wins); throwing rolls it all back.
    private static func upsertTags(_ tags: [(key: String, value: String)], arn: String, in db: Database) throws {
        for tag in tags { try ResourceTagRecord(arn: arn, key: tag.key, value: tag.value).upsert(db) }
        let count = try ResourceTagRecord.filter(Column("arn") == arn).fetchCount(db)
        if count > maxTagsPerResource { throw ModelStoreError.tooManyTags(resultingCount: count, limit: maxTagsPerResource) }
    }
}
