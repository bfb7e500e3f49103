/// DescribeLogStreams' answer.
struct DescribeLogStreamsResponse: Encodable {
    var logStreams: [LogStreamInfo]
    var nextToken: String?
}
