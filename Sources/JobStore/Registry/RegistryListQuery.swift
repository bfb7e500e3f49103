import Foundation
import GRDB
import SageMakerAPI

/// The filters, order and page of ListModels, ListModelPackageGroups and ListModelPackages.
public struct RegistryListQuery: Sendable, Equatable {
    public var nameContains: String?
    /// ListPipelines' PipelineNamePrefix.
    public var namePrefix: String?
    public var creationTimeAfter: Double?
    public var creationTimeBefore: Double?
    /// SortBy Name (else CreationTime).
    public var sortByName = false
    public var ascending = true
    public var limit = 10
    public var offset = 0
    // ListModelPackages only.
    public var groupId: Int64?
    public var approvalStatus: ModelApprovalStatus?
    /// Which packages ListModelPackages returns (Unversioned unless asked, as the model documents).
    public var packageType: ModelPackageType = .unversioned

    public init() {}

    /// The values that make two queries the same listing (a NextToken carries their fingerprint).
    public var fingerprintParts: [String] {
        [nameContains ?? "", creationTimeAfter.map { "\($0)" } ?? "", creationTimeBefore.map { "\($0)" } ?? "",
         sortByName ? "n" : "c", ascending ? "a" : "d", groupId.map { "\($0)" } ?? "",
         approvalStatus?.rawValue ?? "", packageType.rawValue, namePrefix ?? ""]
    }

    /// Applies the filters shared by every registry listing, then the order and the page (one extra
    /// row tells whether another page follows).
    func page<Record: FetchableRecord & TableRecord>(_ request: QueryInterfaceRequest<Record>, in db: Database) throws -> (rows: [Record], more: Bool) {
        var request = request
        if let nameContains, !nameContains.isEmpty {
            // Case-insensitive, with % and _ literal, as the job listings match names.
            request = request.filter(sql: "instr(lower(name), lower(?)) > 0", arguments: [nameContains])
        }
        if let namePrefix, !namePrefix.isEmpty {
            request = request.filter(sql: "substr(name, 1, length(?)) = ?", arguments: [namePrefix, namePrefix])
        }
        if let creationTimeAfter { request = request.filter(Column("creationTime") > creationTimeAfter) }
        if let creationTimeBefore { request = request.filter(Column("creationTime") < creationTimeBefore) }
        let keys: [Column] = sortByName ? [Column("name"), Column("id")] : [Column("creationTime"), Column("id")]
        request = request.order(keys.map { ascending ? $0.asc : $0.desc })
        let rows = try request.limit(limit + 1, offset: offset).fetchAll(db)
        return (Array(rows.prefix(limit)), rows.count > limit)
    }
}
