/// The ARN of a processing job: `arn:aws:sagemaker:{region}:{account}:processing-job/{name}`.
public struct ProcessingJobArn: Sendable, Hashable, CustomStringConvertible {
    /// The region sagebox reports when none is configured.
    public static let defaultRegion = "us-east-1"
    /// The account ID sagebox reports when none is configured.
    public static let defaultAccountID = "000000000000"

    /// The region part.
    public var region: String
    /// The 12-digit account ID part.
    public var accountID: String
    /// The processing job name.
    public var jobName: String

    /// The ARN of job `jobName`, by default in sagebox's default region and account.
    public init(jobName: String, region: String = defaultRegion, accountID: String = defaultAccountID) {
        self.jobName = jobName
        self.region = region
        self.accountID = accountID
    }

    /// Parses a processing job ARN (any `aws*` partition); nil if `arn` is not one.
    public init?(parsing arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sagemaker",
              parts[5].hasPrefix("processing-job/") else { return nil }
        let name = parts[5].dropFirst("processing-job/".count)
        guard !name.isEmpty else { return nil }
        self.init(jobName: String(name), region: String(parts[3]), accountID: String(parts[4]))
    }

    /// The ARN text.
    public var description: String {
        "arn:aws:sagemaker:\(region):\(accountID):processing-job/\(jobName)"
    }
}
