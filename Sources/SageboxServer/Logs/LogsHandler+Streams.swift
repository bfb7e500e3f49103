import Foundation

/// DescribeLogStreams.
extension LogsHandler {
    func describeLogStreams(_ request: LogsRequest) throws -> DescribeLogStreamsResponse {
        let catalog = try catalog(request)
        let prefix = request.logStreamNamePrefix ?? ""
        let byLastEvent = request.orderBy == "LastEventTime"
        if byLastEvent && !prefix.isEmpty {
            throw LogsError.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
        }
        let limit = try Self.limit(request.limit, default: 50, maximum: 50)
        var streams = try catalog.streams(prefix: prefix)
        // The group exists once any job has a stream; before that, clients see ResourceNotFound.
        if streams.isEmpty, try catalog.streams(prefix: "").isEmpty { throw LogsError.groupNotFound }
        if byLastEvent {
            streams.sort { ($0.endTime ?? $0.startTime ?? 0) < ($1.endTime ?? $1.startTime ?? 0) }
        }
        if request.descending == true { streams.reverse() }
        let page = try OffsetPage(streams, token: request.nextToken, kind: "s", limit: limit)
        let infos = try page.items.map { instance in
            var first: Int64?
            try catalog.scan(stream: instance.logStream) { first = $0.timestamp; return false }
            return LogStreamInfo(
                logStreamName: instance.logStream,
                creationTime: instance.startTime.map { Int64($0 * 1000) },
                firstEventTimestamp: first,
                lastEventTimestamp: instance.endTime.map { Int64($0 * 1000) } ?? first,
                lastIngestionTime: instance.endTime.map { Int64($0 * 1000) } ?? first,
                arn: "arn:aws:logs:us-east-1:000000000000:log-group:\(catalog.groupName):log-stream:\(instance.logStream)",
                storedBytes: 0)
        }
        return DescribeLogStreamsResponse(logStreams: infos, nextToken: page.nextToken)
    }
}
