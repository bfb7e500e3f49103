import Foundation
import GRDB
import JobStore
import SageMakerAPI
import Testing

/// The registry's store on a real SQLite file: versions per group, the refused delete of a group that
/// holds packages, listing filters and pages, and tags keyed by ARN.
@Suite struct ModelStoreTests {
    let store: ModelStore
    let path: String

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "modelstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appending(path: "sagebox.sqlite").path
        store = ModelStore(database: try Self.open(path))
    }

    private static func open(_ path: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        JobStore.registerMigrations(in: &migrator)
        ModelStore.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        return pool
    }

    @discardableResult
    private func group(_ name: String, at time: Double = 1) throws -> ModelPackageGroupRecord {
        try store.insert(ModelPackageGroupRecord(name: name, arn: "arn:group/\(name.lowercased())", request: "{}", creationTime: time))
    }

    @discardableResult
    private func version(in group: String, at time: Double = 1, approval: ModelApprovalStatus = .pendingManualApproval) throws -> ModelPackageRecord {
        try store.insertVersion(inGroup: "arn:group/\(group.lowercased())") { group, version in
            ModelPackageRecord(groupId: group.id, name: group.name, version: version, arn: "arn:package/\(group.name)/\(version)",
                               request: "{}", approvalStatus: approval, creationTime: time, lastModifiedTime: time)
        }
    }

    @Test func versionsCountUpPerGroupAndSurviveReopening() throws {
        try group("churn")
        try group("other")
        #expect(try version(in: "churn").version == 1)
        #expect(try version(in: "churn").version == 2)
        #expect(try version(in: "other").version == 1)
        // A second connection on the same file (a restarted server) continues the count.
        let reopened = ModelStore(database: try Self.open(path))
        let third = try reopened.insertVersion(inGroup: "arn:group/churn") { group, version in
            ModelPackageRecord(groupId: group.id, name: group.name, version: version, arn: "arn:package/churn/\(version)",
                               request: "{}", creationTime: 2, lastModifiedTime: 2)
        }
        #expect(third.version == 3)
        #expect(try reopened.package(arn: "arn:package/churn/2")?.approvalStatus == .pendingManualApproval)
    }

    @Test func aRetriedRequestWithItsClientTokenGetsTheSameVersion() throws {
        try group("g")
        func register(_ token: String) throws -> ModelPackageRecord {
            try store.insertVersion(inGroup: "arn:group/g", clientToken: token) { group, version in
                ModelPackageRecord(groupId: group.id, name: group.name, version: version, arn: "arn:package/g/\(version)",
                                   request: "{}", clientToken: token, creationTime: 1, lastModifiedTime: 1)
            }
        }
        #expect(try register("t1").version == 1)
        #expect(try register("t1").version == 1)
        #expect(try register("t2").version == 2)
        #expect(try store.group(arn: "arn:group/g")?.lastVersion == 2)
    }

    @Test func aVersionInAMissingGroupIsRefusedAndWritesNothing() throws {
        #expect(throws: ModelStoreError.noSuchGroup(arn: "arn:group/ghost")) { try version(in: "ghost") }
        var all = RegistryListQuery()
        all.packageType = .both
        #expect(try store.packages(all).rows.isEmpty)
    }

    @Test func aGroupWithPackagesCannotBeDeletedAnEmptyOneCan() throws {
        try group("full")
        try group("empty", at: 2)
        try version(in: "full")
        #expect(throws: ModelStoreError.groupHasPackages(name: "full", count: 1)) { try store.deleteGroup(arn: "arn:group/full") }
        #expect(try store.group(arn: "arn:group/full") != nil)
        #expect(try store.deleteGroup(arn: "arn:group/empty"))
        #expect(try store.deleteGroup(arn: "arn:group/empty") == false)
    }

    @Test func namesThatDifferInCaseAreOneResource() throws {
        try group("Churn")
        #expect(throws: ModelStoreError.alreadyExists(arn: "arn:group/churn")) { try group("churn") }
        try store.insert(ModelRecord(name: "M", arn: "arn:model/m", request: "{}", creationTime: 1))
        #expect(throws: ModelStoreError.alreadyExists(arn: "arn:model/m")) {
            try store.insert(ModelRecord(name: "m", arn: "arn:model/m", request: "{}", creationTime: 2))
        }
    }

    @Test func packagesFilterByGroupApprovalAndTypeAndPage() throws {
        let churn = try group("churn")
        try group("other")
        try version(in: "churn", at: 1)
        try version(in: "churn", at: 2, approval: .approved)
        try version(in: "churn", at: 3)
        try version(in: "other", at: 4, approval: .approved)
        try store.insertUnversioned(ModelPackageRecord(name: "solo", arn: "arn:package/solo", request: "{}", creationTime: 5, lastModifiedTime: 5))

        var query = RegistryListQuery()
        #expect(try store.packages(query).rows.map(\.arn) == ["arn:package/solo"])
        query.packageType = .versioned
        query.groupId = churn.id
        #expect(try store.packages(query).rows.compactMap(\.version) == [1, 2, 3])
        query.approvalStatus = .approved
        #expect(try store.packages(query).rows.map(\.arn) == ["arn:package/churn/2"])

        var paged = RegistryListQuery()
        paged.packageType = .both
        paged.ascending = false
        paged.limit = 2
        let first = try store.packages(paged)
        #expect(first.rows.map(\.arn) == ["arn:package/solo", "arn:package/other/1"] && first.more)
        paged.offset = 4
        let last = try store.packages(paged)
        #expect(last.rows.map(\.arn) == ["arn:package/churn/1"] && !last.more)
    }

    @Test func modelsListByNameContainsAndCreationTime() throws {
        for (index, name) in ["alpha-model", "Beta_Model", "gamma"].enumerated() {
            try store.insert(ModelRecord(name: name, arn: "arn:model/\(name.lowercased())", request: "{}", creationTime: Double(index)))
        }
        var query = RegistryListQuery()
        query.nameContains = "MODEL"
        query.sortByName = true
        #expect(try store.models(query).rows.map(\.name) == ["Beta_Model", "alpha-model"])
        query.nameContains = "_"
        #expect(try store.models(query).rows.map(\.name) == ["Beta_Model"])
        var recent = RegistryListQuery()
        recent.creationTimeAfter = 0.5
        #expect(try store.models(recent).rows.map(\.name) == ["Beta_Model", "gamma"])
        #expect(try store.deleteModel(arn: "arn:model/gamma"))
        #expect(try store.model(arn: "arn:model/gamma") == nil)
    }

    @Test func tagsAreKeptPerArnAndGoWithTheirResource() throws {
        try store.insert(ModelRecord(name: "m", arn: "arn:model/m", request: "{}", creationTime: 1), tags: [(key: "team", value: "ml")])
        try store.setTags([(key: "env", value: "dev")], arn: "arn:model/m")
        #expect(try store.tags(arn: "arn:model/m").map(\.key) == ["env", "team"])
        #expect(try store.tags(arn: "arn:model/m", afterKey: "env").map(\.value) == ["ml"])
        let many = (0..<50).map { (key: "k\($0)", value: "v") }
        #expect(throws: ModelStoreError.tooManyTags(resultingCount: 52, limit: 50)) { try store.setTags(many, arn: "arn:model/m") }
        #expect(try store.tags(arn: "arn:model/m").count == 2)
        try store.removeTags(keys: ["env", "absent"], arn: "arn:model/m")
        #expect(try store.tags(arn: "arn:model/m").map(\.key) == ["team"])
        try store.deleteModel(arn: "arn:model/m")
        try store.insert(ModelRecord(name: "m", arn: "arn:model/m", request: "{}", creationTime: 2))
        #expect(try store.tags(arn: "arn:model/m").isEmpty)
    }
}
