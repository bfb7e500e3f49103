import Foundation
import JobStore

/// GetLogEvents and FilterLogEvents.
extension LogsHandler {
    /// GetLogEvents. Reading forward past the end gives an empty page whose forward token is the one
    /// sent, so a reader stops (and can resume later with the same token).
    func getLogEvents(_ request: LogsRequest) throws -> GetLogEventsResponse {
        let catalog = try catalog(request)
        guard let name = request.logStreamName, try catalog.stream(named: name) != nil else { throw LogsError.streamNotFound }
        let limit = try Self.limit(request.limit, default: 10_000, maximum: 10_000)
        let token: LogsToken
        if let text = request.nextToken {
            guard let parsed = LogsToken(text) else { throw LogsError.invalidParameter("The specified nextToken is invalid.") }
            token = parsed
        } else {
            token = request.startFromHead == true ? .forward(after: 0) : .backward(before: Int64.max)
        }
        switch token {
        case let .forward(after):
            var events: [LogEventRecord] = []
            var scanned = after
            try catalog.scan(stream: name, afterId: after) { event in
                guard events.count < limit else { return false }
                scanned = event.id!
                if Self.inWindow(event, request) { events.append(event) }
                return true
            }
            let forward = events.last?.id ?? scanned
            return GetLogEventsResponse(events: events.map { Self.output($0, withStream: false) },
                                        nextForwardToken: LogsToken.forward(after: forward).text,
                                        nextBackwardToken: LogsToken.backward(before: events.first?.id ?? after + 1).text)
        case let .backward(before):
            var tail: [LogEventRecord] = []
            try catalog.scan(stream: name) { event in
                guard event.id! < before else { return false }
                if Self.inWindow(event, request) {
                    tail.append(event)
                    if tail.count > limit { tail.removeFirst(tail.count - limit) }
                }
                return true
            }
            let fallback = before == Int64.max ? 0 : before
            return GetLogEventsResponse(events: tail.map { Self.output($0, withStream: false) },
                                        nextForwardToken: LogsToken.forward(after: tail.last?.id ?? max(0, fallback - 1)).text,
                                        nextBackwardToken: LogsToken.backward(before: tail.first?.id ?? fallback).text)
        }
    }

    /// FilterLogEvents: `filterPattern` is matched as a plain substring (quotes around it removed);
    /// events of all chosen streams come in time order.
    func filterLogEvents(_ request: LogsRequest) throws -> FilterLogEventsResponse {
        let catalog = try catalog(request)
        if request.logStreamNames != nil && request.logStreamNamePrefix != nil {
            throw LogsError.invalidParameter("You cannot specify both logStreamNames and logStreamNamePrefix.")
        }
        let limit = try Self.limit(request.limit, default: 10_000, maximum: 10_000)
        var streams = try catalog.streams(prefix: request.logStreamNamePrefix ?? "").map(\.logStream)
        if let names = request.logStreamNames { streams = streams.filter(names.contains) }
        var pattern = (request.filterPattern ?? "").trimmingCharacters(in: .whitespaces)
        if pattern.count >= 2, pattern.hasPrefix("\""), pattern.hasSuffix("\"") { pattern = String(pattern.dropFirst().dropLast()) }
        var matches: [LogEventRecord] = []
        for stream in streams {
            try catalog.scan(stream: stream) { event in
                if Self.inWindow(event, request), pattern.isEmpty || event.message.contains(pattern) { matches.append(event) }
                return true
            }
        }
        matches.sort { ($0.timestamp, $0.id ?? 0) < ($1.timestamp, $1.id ?? 0) }
        let page = try OffsetPage(matches, token: request.nextToken, kind: "o", limit: limit)
        return FilterLogEventsResponse(
            events: page.items.map { Self.output($0, withStream: true) },
            searchedLogStreams: streams.map { .init(logStreamName: $0, searchedCompletely: true) },
            nextToken: page.nextToken)
    }
}
