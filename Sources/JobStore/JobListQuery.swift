import Foundation
import GRDB

/// The filters, order and page of a ListProcessingJobs or ListTrainingJobs call, in the job store's terms.
public struct JobListQuery: Sendable, Equatable {
    public var kind: JobKind
    public enum SortKey: String, Sendable { case name = "Name", creationTime = "CreationTime", status = "Status" }

    /// Exclusive bounds (strictly after / before), as the spec's section 12 decides.
    public var creationTimeAfter: Double?
    public var creationTimeBefore: Double?
    public var lastModifiedTimeAfter: Double?
    public var lastModifiedTimeBefore: Double?
    /// Case-insensitive substring of the name.
    public var nameContains: String?
    public var statusEquals: JobStatus?
    public var sortBy: SortKey = .creationTime
    public var ascending: Bool = true
    /// How many jobs to skip (decoded from NextToken).
    public var offset: Int = 0
    public var limit: Int = 10

    public init(kind: JobKind) {
        self.kind = kind
    }
}

extension JobStore {
    /// One page of jobs matching `query`, and whether more follow. Filtering happens before paging.
    public func list(_ query: JobListQuery) throws -> (jobs: [JobRecord], more: Bool) {
        try database.read { db in
            let rows = try Self.listRequest(query).fetchAll(db)
            return (Array(rows.prefix(query.limit)), rows.count > query.limit)
        }
    }

    /// How SQLite reads the page of `list(query)` (the `detail` lines of EXPLAIN QUERY PLAN), so that
    /// tests can check a page is an index range read in order rather than a sort of every match.
    public func listQueryPlan(_ query: JobListQuery) throws -> [String] {
        try database.read { db in
            let statement = try Self.listRequest(query).makePreparedRequest(db).statement
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                .map { $0["detail"] }
        }
    }

    private static func listRequest(_ query: JobListQuery) -> QueryInterfaceRequest<JobRecord> {
        var request = JobRecord.filter(JobRecord.Columns.kind == query.kind)
        if let t = query.creationTimeAfter { request = request.filter(Column("creationTime") > t) }
        if let t = query.creationTimeBefore { request = request.filter(Column("creationTime") < t) }
        if let t = query.lastModifiedTimeAfter { request = request.filter(Column("lastModifiedTime") > t) }
        if let t = query.lastModifiedTimeBefore { request = request.filter(Column("lastModifiedTime") < t) }
        if let s = query.statusEquals { request = request.filter(JobRecord.Columns.status == s) }
        if let part = query.nameContains, !part.isEmpty {
            // instr on lower() rather than LIKE, so that % and _ in the filter are literal.
            request = request.filter(sql: "instr(lower(name), lower(?)) > 0", arguments: [part])
        }
        let key: Column = switch query.sortBy {
        case .name: Column("name")
        case .creationTime: Column("creationTime")
        case .status: Column("status")
        }
        // The id breaks ties so that pages never overlap or skip.
        request = query.ascending
            ? request.order(key.asc, Column("id").asc)
            : request.order(key.desc, Column("id").desc)
        return request.limit(query.limit + 1, offset: query.offset)
    }
}
