import GRDB

extension JobStore {
    /// The most tags one job may carry (SageMaker's per-resource limit).
    public static let maxTagsPerJob = 50

    /// Adds tags to a job, replacing the value of keys it already has, and returns all its tags in key
    /// order. Throws `JobTagLimitExceeded` (writing nothing) when the job would end with more than
    /// `limit` tags, and `noSuchJob` when the job is gone.
    @discardableResult
    public func setTags(
        _ tags: [(key: String, value: String)], jobId: Int64, limit: Int = JobStore.maxTagsPerJob
    ) throws -> [JobTagRecord] {
        try database.write { db in
            guard try JobRecord.exists(db, key: jobId) else { throw JobStoreError.noSuchJob(name: "#\(jobId)") }
            try Self.upsert(tags, jobId: jobId, limit: limit, in: db)
            return try Self.tags(jobId: jobId, in: db)
        }
    }

    /// Removes the given keys from a job's tags; keys the job does not have are ignored.
    public func removeTags(keys: [String], jobId: Int64) throws {
        guard !keys.isEmpty else { return }
        try database.write { db in
            _ = try JobTagRecord.filter(Column("jobId") == jobId && keys.contains(Column("key"))).deleteAll(db)
        }
    }

    /// A job's tags in key order: those whose key sorts after `afterKey`, at most `limit` of them.
    public func tags(jobId: Int64, afterKey: String? = nil, limit: Int? = nil) throws -> [JobTagRecord] {
        try database.read { db in
            var request = JobTagRecord.filter(Column("jobId") == jobId)
            if let afterKey { request = request.filter(Column("key") > afterKey) }
            if let limit { request = request.limit(limit) }
            return try request.order(Column("key")).fetchAll(db)
        }
    }

    private static func tags(jobId: Int64, in db: Database) throws -> [JobTagRecord] {
        try JobTagRecord.filter(Column("jobId") == jobId).order(Column("key")).fetchAll(db)
    }

    /// Upserts inside the caller's transaction; a later duplicate key in `tags` wins.
    static func upsert(_ tags: [(key: String, value: String)], jobId: Int64, limit: Int, in db: Database) throws {
        for tag in tags {
            try JobTagRecord(jobId: jobId, key: tag.key, value: tag.value).upsert(db)
        }
        let count = try JobTagRecord.filter(Column("jobId") == jobId).fetchCount(db)
        // Throwing rolls back the whole transaction, so a refused request leaves the tags as they were.
        if count > limit { throw JobTagLimitExceeded(resultingCount: count, limit: limit) }
    }
}
