/// One event of GetLogEvents (`eventId` and `logStreamName` only in FilterLogEvents).
struct LogEventOutput: Codable, Sendable, Equatable {
    var timestamp: Int64
    var message: String
    var ingestionTime: Int64
    var logStreamName: String?
    var eventId: String?
}
