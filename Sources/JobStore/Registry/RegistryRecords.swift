import GRDB
import SageMakerAPI

/// One model (CreateModel). The request is kept verbatim so DescribeModel echoes what the client sent.
public struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "models"

    public var id: Int64?
    public var name: String
    public var arn: String
    /// The CreateModel JSON.
    public var request: String
    public var creationTime: Double

    public init(id: Int64? = nil, name: String, arn: String, request: String, creationTime: Double) {
        self.id = id
        self.name = name
        self.arn = arn
        self.request = request
        self.creationTime = creationTime
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One model package group (CreateModelPackageGroup): the versions of one model.
public struct ModelPackageGroupRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model_package_groups"

    public var id: Int64?
    public var name: String
    public var arn: String
    /// The CreateModelPackageGroup JSON.
    public var request: String
    public var creationTime: Double
    /// The highest version ever given in this group: versions are never reused.
    public var lastVersion: Int

    public init(id: Int64? = nil, name: String, arn: String, request: String, creationTime: Double, lastVersion: Int = 0) {
        self.id = id
        self.name = name
        self.arn = arn
        self.request = request
        self.creationTime = creationTime
        self.lastVersion = lastVersion
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One model package (CreateModelPackage): a version in a group, or an unversioned package of its own.
public struct ModelPackageRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model_packages"

    public var id: Int64?
    /// The group of a versioned package; nil for an unversioned one.
    public var groupId: Int64?
    /// ModelPackageName: the group's name for a versioned package (as AWS reports it), else its own.
    public var name: String
    /// ModelPackageVersion (1, 2, ... within the group); nil for an unversioned package.
    public var version: Int?
    public var arn: String
    /// The CreateModelPackage JSON.
    public var request: String
    /// Versioned packages only (PendingManualApproval unless the request says otherwise).
    public var approvalStatus: ModelApprovalStatus?
    public var approvalDescription: String?
    /// CustomerMetadataProperties as they stand after every UpdateModelPackage.
    public var customerMetadataProperties: [String: String]?
    /// The request's ClientToken: a retried CreateModelPackage with the same token gets this package back.
    public var clientToken: String?
    public var creationTime: Double
    public var lastModifiedTime: Double

    public init(id: Int64? = nil, groupId: Int64? = nil, name: String, version: Int? = nil, arn: String, request: String,
                approvalStatus: ModelApprovalStatus? = nil, approvalDescription: String? = nil,
                customerMetadataProperties: [String: String]? = nil, clientToken: String? = nil,
                creationTime: Double, lastModifiedTime: Double) {
        self.id = id
        self.groupId = groupId
        self.name = name
        self.version = version
        self.arn = arn
        self.request = request
        self.approvalStatus = approvalStatus
        self.approvalDescription = approvalDescription
        self.customerMetadataProperties = customerMetadataProperties
        self.clientToken = clientToken
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
    }

    public var isVersioned: Bool { version != nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One tag of a registry resource (a model, a model package group or a model package), keyed by its ARN.
public struct ResourceTagRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "resource_tags"

    public var arn: String
    public var key: String
    public var value: String

    public init(arn: String, key: String, value: String) {
        self.arn = arn
        self.key = key
        self.value = value
    }
}

extension ModelApprovalStatus: Codable, DatabaseValueConvertible {}
