/// Why the model store refused a change; the service words each one as AWS does.
public enum ModelStoreError: Error, Sendable, Equatable {
    /// A resource with this name (or ARN) exists already.
    case alreadyExists(arn: String)
    case noSuchGroup(arn: String)
    /// DeleteModelPackageGroup of a group that still holds model packages.
    case groupHasPackages(name: String, count: Int)
    /// Tags would pass the per-resource limit; nothing was written.
    case tooManyTags(resultingCount: Int, limit: Int)
}
