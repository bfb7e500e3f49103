/// The ARN of a SageMaker resource: `arn:aws:sagemaker:{region}:{account}:{resource-type}/{name}`, e.g.
/// `processing-job/my-job`, `training-job/my-job`, `model/m`, `model-package-group/g`, `model-package/g/1`.
public struct SageMakerArn: Sendable, Hashable, CustomStringConvertible {
    /// The region sagebox reports when none is configured.
    public static let defaultRegion = "us-east-1"
    /// The account ID sagebox reports when none is configured.
    public static let defaultAccountID = "000000000000"

    /// `processing-job`, `training-job`, `model`, ...
    public var resourceType: String
    /// The resource's name (a model package's is `group/version`).
    public var name: String
    public var region: String
    /// The 12-digit account ID part.
    public var accountID: String

    /// The ARN of the resource, by default in sagebox's default region and account.
    public init(_ resourceType: String, _ name: String, region: String = defaultRegion, accountID: String = defaultAccountID) {
        self.resourceType = resourceType
        self.name = name
        self.region = region
        self.accountID = accountID
    }

    public static func processingJob(_ name: String) -> SageMakerArn { SageMakerArn("processing-job", name) }
    public static func trainingJob(_ name: String) -> SageMakerArn { SageMakerArn("training-job", name) }
    // The registry's ARNs hold the name lowercased, as AWS writes them
    // (`model/pipelines-…-abalonecreatemodel-…`, `model-package/abalonemodelpackagegroupname/1`).
    public static func model(_ name: String) -> SageMakerArn { SageMakerArn("model", name.lowercased()) }
    public static func modelPackageGroup(_ name: String) -> SageMakerArn { SageMakerArn("model-package-group", name.lowercased()) }
    /// Pipelines' ARNs hold the name lowercased too (`pipeline/simplexgboostpipeline`).
    public static func pipeline(_ name: String) -> SageMakerArn { SageMakerArn("pipeline", name.lowercased()) }
    /// A versioned package (`group/version`), or an unversioned one (`name`) when `version` is nil.
    public static func modelPackage(_ name: String, version: Int? = nil) -> SageMakerArn {
        SageMakerArn("model-package", name.lowercased() + (version.map { "/\($0)" } ?? ""))
    }

    /// Parses an ARN of a SageMaker resource of `resourceType` (any `aws*` partition); nil if `arn` is not one.
    public init?(parsing arn: String, resourceType: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sagemaker",
              parts[5].hasPrefix(resourceType + "/") else { return nil }
        let name = parts[5].dropFirst(resourceType.count + 1)
        guard !name.isEmpty else { return nil }
        self.init(resourceType, String(name), region: String(parts[3]), accountID: String(parts[4]))
    }

    /// The ARN text.
    public var description: String {
        "arn:aws:sagemaker:\(region):\(accountID):\(resourceType)/\(name)"
    }
}
