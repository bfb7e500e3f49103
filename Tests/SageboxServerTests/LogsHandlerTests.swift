import Foundation
import JobStore
import ProcessingEngine
import Testing
@testable import SageboxServer

/// CloudWatch Logs over a real job store (SQLite in a temporary root), without sockets.
struct LogsHandlerTests {
    let root: SageboxRoot
    let handler: LogsHandler
    let stream = "logs-job/algo-1-1700000000"

    init() throws {
        root = try SageboxRoot(url: FileManager.default.temporaryDirectory.appending(path: "sagebox-logs-\(UUID().uuidString)"))
        handler = LogsHandler(jobs: root.jobs)
    }

    /// A job with one instance that wrote `lines` lines, one millisecond apart.
    func makeJob(lines: Int) throws {
        let job = try root.jobs.insert(JobRecord(
            name: "logs-job", arn: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/logs-job", status: .inProgress,
            request: "{}", creationTime: 1_700_000_000, lastModifiedTime: 1_700_000_000, folder: "logs-job-1"), event: "Created")
        try root.jobs.save(JobInstanceRecord(jobId: job.id!, host: "algo-1", logStream: stream, startTime: 1_700_000_000))
        try root.jobs.append((1...lines).map {
            LogEventRecord(jobId: job.id!, logStream: stream, timestamp: 1_700_000_000_000 + Int64($0), message: "line \($0)")
        })
    }

    func request(token: String? = nil, limit: Int? = nil, head: Bool? = true) -> LogsRequest {
        var request = LogsRequest()
        request.logGroupName = LogStreamCatalog.groupName(of: .processing)
        request.logStreamName = stream
        request.nextToken = token
        request.limit = limit
        request.startFromHead = head
        return request
    }

    @Test func readingForwardEndsWithAnEmptyPageAndTheSameToken() throws {
        try makeJob(lines: 25)
        var messages: [String] = []
        var token: String?
        var pages = 0
        while true {
            let page = try handler.getLogEvents(request(token: token, limit: 10))
            pages += 1
            if page.events.isEmpty {
                #expect(page.nextForwardToken == token)
                break
            }
            messages += page.events.map(\.message)
            token = page.nextForwardToken
        }
        #expect(messages == (1...25).map { "line \($0)" })
        #expect(pages == 4)
        // A line written later is found with the token the reader stopped at.
        let job = try #require(try root.jobs.job(named: "logs-job"))
        try root.jobs.append([LogEventRecord(jobId: job.id!, logStream: stream, timestamp: 1_700_000_000_100, message: "late")])
        #expect(try handler.getLogEvents(request(token: token)).events.map(\.message) == ["late"])
    }

    @Test func withoutStartFromHeadTheNewestEventsComeFirstAndBackwardTokensPage() throws {
        try makeJob(lines: 5)
        let tail = try handler.getLogEvents(request(limit: 2, head: nil))
        #expect(tail.events.map(\.message) == ["line 4", "line 5"])
        let before = try handler.getLogEvents(request(token: tail.nextBackwardToken, limit: 2))
        #expect(before.events.map(\.message) == ["line 2", "line 3"])
    }

    @Test func streamsAndGroupErrors() throws {
        var describe = LogsRequest()
        describe.logGroupName = LogStreamCatalog.groupName(of: .processing)
        describe.logStreamNamePrefix = "logs-job/"
        // No stream anywhere yet: the group does not exist, as the SageMaker SDK expects before a job starts.
        #expect(throws: LogsError.self) { try handler.describeLogStreams(describe) }
        try makeJob(lines: 3)
        let streams = try handler.describeLogStreams(describe).logStreams
        #expect(streams.map(\.logStreamName) == [stream])
        #expect(streams.first?.firstEventTimestamp == 1_700_000_000_001)
        describe.logStreamNamePrefix = "other-job/"
        #expect(try handler.describeLogStreams(describe).logStreams.isEmpty)
        var missing = request()
        missing.logStreamName = "logs-job/algo-2-1700000000"
        #expect(throws: LogsError.self) { try handler.getLogEvents(missing) }
    }

    @Test func filterMatchesSubstrings() throws {
        try makeJob(lines: 12)
        var filter = LogsRequest()
        filter.logGroupName = LogStreamCatalog.groupName(of: .processing)
        filter.filterPattern = "\"line 1\""
        let found = try handler.filterLogEvents(filter)
        #expect(found.events.map(\.message) == ["line 1", "line 10", "line 11", "line 12"])
        #expect(found.events.first?.logStreamName == stream)
    }
}
