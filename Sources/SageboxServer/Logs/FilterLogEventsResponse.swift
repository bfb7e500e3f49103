/// FilterLogEvents' answer.
struct FilterLogEventsResponse: Encodable {
    struct SearchedLogStream: Encodable {
        var logStreamName: String
        var searchedCompletely: Bool
    }

    var events: [LogEventOutput]
    var searchedLogStreams: [SearchedLogStream]
    var nextToken: String?
}
