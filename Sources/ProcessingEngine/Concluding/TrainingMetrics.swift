import Foundation
import JobStore
import SageMakerAPI

/// FinalMetricDataList: the request's MetricDefinitions matched against the job's log lines, as the
/// service does: each regex's first capture group, read as a number; the last value of each metric is
/// its final one, stamped with its line's time.
enum TrainingMetrics {
    static func finalValues(of definitions: [MetricDefinition], in events: [LogEventRecord]) -> [MetricData] {
        var finals: [MetricData] = []
        for definition in definitions {
            guard let name = definition.name, let pattern = definition.regex,
                  let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            var last: MetricData?
            for event in events {
                let text = event.message
                guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                      match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text),
                      let value = number(at: text[range]), value.isFinite else { continue }
                last = MetricData(metricName: name, value: value, timestamp: Date(timeIntervalSince1970: Double(event.timestamp) / 1000))
            }
            if let last { finals.append(last) }
        }
        return finals
    }

    /// The number a capture starts with: `(\S+)` over `0.8#011validation-auc:0.7` captures more than
    /// the number, which the service reads as 0.8.
    static func number(at capture: Substring) -> Double? {
        let pattern = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/
        guard let match = capture.prefixMatch(of: pattern) else { return nil }
        return Double(match.output)
    }

    /// The job's final metrics as the record stores them (JSON), or nil when none matched.
    static func stored(for job: PreparedJob, jobs: JobStore) throws -> String? {
        let definitions = job.definition.metricDefinitions
        guard !definitions.isEmpty else { return nil }
        var events: [LogEventRecord] = []
        for stream in try jobs.logStreams(jobId: job.jobId) {
            var after: Int64 = 0
            while true {
                let page = try jobs.logEvents(stream: stream, afterId: after, limit: 10_000)
                events += page
                guard page.count == 10_000, let last = page.last?.id else { break }
                after = last
            }
        }
        let finals = finalValues(of: definitions, in: events.sorted { ($0.timestamp, $0.id ?? 0) < ($1.timestamp, $1.id ?? 0) })
        guard !finals.isEmpty else { return nil }
        return String(decoding: try SageMakerJSON.encoder.encode(finals), as: UTF8.self)
    }
}
