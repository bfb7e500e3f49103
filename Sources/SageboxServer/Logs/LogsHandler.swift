import Foundation
import Hummingbird
import JobStore
import SageMakerAPI

/// CloudWatch Logs in its JSON 1.1 form (`X-Amz-Target: Logs_20140328.<Operation>`), over the job
/// store's log events: DescribeLogStreams, GetLogEvents and FilterLogEvents.
struct LogsHandler: Sendable {
    static let targetPrefix = "Logs_20140328."

    let jobs: JobStore

    func handle(target: String, body: Data) -> Response {
        do {
            let request: LogsRequest
            do {
                let json = body.isEmpty ? Data("{}".utf8) : body
                request = try JSONDecoder().decode(LogsRequest.self, from: json)
            } catch {
                throw LogsError(code: "SerializationException", message: "The request body could not be deserialized.")
            }
            let operation = String(target.dropFirst(Self.targetPrefix.count))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            switch operation {
            case "DescribeLogStreams": return Reply.json(try encoder.encode(describeLogStreams(request)))
            case "GetLogEvents": return Reply.json(try encoder.encode(getLogEvents(request)))
            case "FilterLogEvents": return Reply.json(try encoder.encode(filterLogEvents(request)))
            default: throw LogsError(code: "UnknownOperationException", message: "Unknown operation \(target)")
            }
        } catch let error as LogsError {
            return Reply.json((try? JSONEncoder().encode(error.jsonBody)) ?? Data(), status: 400)
        } catch {
            return Reply.json(AWSServiceError.internalFailure("\(error)").jsonBody, status: 500)
        }
    }

    /// The streams of the request's log group: `/aws/sagemaker/ProcessingJobs` or `/aws/sagemaker/TrainingJobs`.
    func catalog(_ request: LogsRequest) throws -> LogStreamCatalog {
        guard let kind = LogStreamCatalog.kind(ofGroup: request.group) else { throw LogsError.groupNotFound }
        return LogStreamCatalog(jobs: jobs, kind: kind)
    }

    static func limit(_ value: Int?, default defaultValue: Int, maximum: Int) throws -> Int {
        guard let value else { return defaultValue }
        guard (1...maximum).contains(value) else {
            throw LogsError.invalidParameter("1 validation error detected: Value '\(value)' at 'limit' failed to satisfy constraint: Member must have value less than or equal to \(maximum)")
        }
        return value
    }

    static func output(_ event: LogEventRecord, withStream: Bool) -> LogEventOutput {
        LogEventOutput(timestamp: event.timestamp, message: event.message, ingestionTime: event.timestamp,
                       logStreamName: withStream ? event.logStream : nil, eventId: withStream ? event.id.map(String.init) : nil)
    }

    /// Whether `event` lies in [startTime, endTime] (either bound optional; endTime inclusive as in GetLogEvents).
    static func inWindow(_ event: LogEventRecord, _ request: LogsRequest) -> Bool {
        if let start = request.startTime, event.timestamp < start { return false }
        if let end = request.endTime, event.timestamp > end { return false }
        return true
    }
}
