/// One log stream of a job's instance, as DescribeLogStreams lists it. Times in epoch milliseconds.
struct LogStreamInfo: Codable, Sendable, Equatable {
    var logStreamName: String
    var creationTime: Int64?
    var firstEventTimestamp: Int64?
    var lastEventTimestamp: Int64?
    var lastIngestionTime: Int64?
    var arn: String?
    var storedBytes: Int64?
}
