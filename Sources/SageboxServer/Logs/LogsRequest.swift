/// The members of the CloudWatch Logs requests sagebox serves (DescribeLogStreams, GetLogEvents,
/// FilterLogEvents); each operation reads the ones it knows, as the service ignores none it models.
struct LogsRequest: Decodable, Sendable {
    var logGroupName: String?
    var logGroupIdentifier: String?
    var logStreamName: String?
    var logStreamNames: [String]?
    var logStreamNamePrefix: String?
    var orderBy: String?
    var descending: Bool?
    var limit: Int?
    var nextToken: String?
    var startTime: Int64?
    var endTime: Int64?
    var startFromHead: Bool?
    var filterPattern: String?

    /// The group, by name or identifier (an ARN's last part).
    var group: String? {
        if let logGroupName { return logGroupName }
        return logGroupIdentifier.map { $0.split(separator: ":log-group:").last.map(String.init) ?? $0 }
    }
}
