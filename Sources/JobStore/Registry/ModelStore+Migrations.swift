import GRDB

extension ModelStore {
    /// Registers the registry's schema, on the same database as the jobs. Identifiers start with
    /// `models.`; never edit a shipped migration, add a new one.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("models.v1") { db in
            try db.create(table: "models") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("arn", .text).notNull().unique()
                t.column("request", .text).notNull()
                t.column("creationTime", .double).notNull()
            }
            try db.create(index: "models_by_creation", on: "models", columns: ["creationTime", "id"])
            try db.create(table: "model_package_groups") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("arn", .text).notNull().unique()
                t.column("request", .text).notNull()
                t.column("creationTime", .double).notNull()
                t.column("lastVersion", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "model_packages") { t in
                t.autoIncrementedPrimaryKey("id")
                // RESTRICT: a group with packages cannot be deleted (DeleteModelPackageGroup refuses it).
                t.belongsTo("group", inTable: "model_package_groups", onDelete: .restrict)
                t.column("name", .text).notNull()
                t.column("version", .integer)
                // Unique: one unversioned package per name, one package per group and version.
                t.column("arn", .text).notNull().unique()
                t.column("request", .text).notNull()
                t.column("approvalStatus", .text)
                t.column("approvalDescription", .text)
                t.column("customerMetadataProperties", .text)
                // Unique, so one token never names two packages (SQLite lets NULLs repeat).
                t.column("clientToken", .text).unique()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
            }
            try db.create(index: "model_packages_by_group_version", on: "model_packages", columns: ["groupId", "version"])
            // Tags of every registry resource, by ARN (jobs keep theirs in job_tags, by job id).
            try db.create(table: "resource_tags") { t in
                t.column("arn", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["arn", "key"])
            }
        }
    }
}
