import Foundation
import JobStore

/// Turns an instance's stdout and stderr into log events of its stream, one event per line, each
/// stamped when it was read, written to the job store in batches.
final class LogCapture: @unchecked Sendable {  // state behind `lock`
    private let jobs: JobStore
    private let jobId: Int64
    private let stream: String
    private let echo: (@Sendable (String) -> Void)?
    /// Training logs show a TAB as `#011`, as SageMaker's CloudWatch streams do: the built-in algorithms'
    /// metric regexes (`.*\[[0-9]+\].*#011validation-auc:(\S+)`) depend on it.
    private let tabsAsOctal: Bool
    private let lock = NSLock()
    private var pending: [LogEventRecord] = []
    private var lastFlush = Date()
    private var readers: [Thread] = []
    private let finished = DispatchGroup()

    /// CloudWatch caps one event at 256 KiB; longer lines are split.
    static let maximumEventBytes = 256 * 1024

    init(jobs: JobStore, jobId: Int64, stream: String, tabsAsOctal: Bool = false, echo: (@Sendable (String) -> Void)?) {
        self.jobs = jobs
        self.tabsAsOctal = tabsAsOctal
        self.jobId = jobId
        self.stream = stream
        self.echo = echo
    }

    /// Starts a thread that reads `handle` until end of file. Call `waitUntilDrained` after the process exits.
    func read(_ handle: FileHandle) {
        finished.enter()
        let thread = Thread { [self] in
            drain(handle.fileDescriptor)
            try? handle.close()
            finished.leave()
        }
        thread.name = "sagebox log \(stream)"
        thread.start()
    }

    /// Waits until every reader reached end of file, then writes what is left.
    func waitUntilDrained() {
        finished.wait()
        flush(force: true)
    }

    /// Adds a line that sagebox itself writes into the stream (e.g. why the launcher failed).
    func add(line: String) {
        add(lines: [line])
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var partial: [UInt8] = []
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            // Wake up now and then so a quiet job's last lines still reach the store promptly.
            let ready = poll(&poller, 1, 200)
            if ready == 0 { flush(force: false); continue }
            if ready < 0 { if errno == EINTR { continue } else { break } }
            let count = Foundation.read(fd, &buffer, buffer.count)
            if count < 0 { if errno == EINTR { continue } else { break } }
            if count == 0 { break }
            partial.append(contentsOf: buffer[0..<count])
            var lines: [String] = []
            while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(contentsOf: Self.events(of: partial[..<newline]))
                partial.removeSubrange(...newline)
            }
            if partial.count >= Self.maximumEventBytes {
                lines.append(contentsOf: Self.events(of: partial[...]))
                partial.removeAll()
            }
            add(lines: lines)
        }
        if !partial.isEmpty { add(lines: Self.events(of: partial[...])) }
    }

    private static func events(of bytes: ArraySlice<UInt8>) -> [String] {
        stride(from: bytes.startIndex, to: max(bytes.endIndex, bytes.startIndex + 1), by: maximumEventBytes).map { start in
            String(decoding: bytes[start..<min(start + maximumEventBytes, bytes.endIndex)], as: UTF8.self)
        }
    }

    private func add(lines: [String]) {
        guard !lines.isEmpty else { return }
        let lines = tabsAsOctal ? lines.map { $0.replacingOccurrences(of: "\t", with: "#011") } : lines
        let stamp = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        lock.withLock {
            pending.append(contentsOf: lines.map { LogEventRecord(jobId: jobId, logStream: stream, timestamp: stamp, message: $0) })
        }
        if let echo { lines.forEach(echo) }
        flush(force: false)
    }

    private func flush(force: Bool) {
        let batch: [LogEventRecord] = lock.withLock {
            guard force || pending.count >= 500 || Date().timeIntervalSince(lastFlush) >= 0.2 else { return [] }
            lastFlush = Date()
            defer { pending.removeAll() }
            return pending
        }
        // A log write that fails must not kill the job; the line is lost, which the timeline would not show.
        try? jobs.append(batch)
    }
}
