import Foundation
import ProcessingEngine

/// What `run --wait` and `train --wait` print of a job's phases (`JobPhase`): one line per phase once it
/// ends, with the time it took. On a terminal, a phase that lasts more than a second (a large staging or
/// upload, the job's own run) shows a progress line (its name and elapsed time, redrawn in place) until
/// its line replaces it; when the output is not a terminal, only the plain lines are written.
final class PhaseDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal: Bool
    private let clock = ContinuousClock()
    private var current: (name: String, started: ContinuousClock.Instant)?
    /// What the next line of `current` says beside its name ("3 objects, 0.1 MiB").
    private var detail = ""
    private var progressShown = false
    private var ticker: DispatchSourceTimer?
    /// Which phase a tick belongs to: one already queued when its phase ended draws nothing.
    private var generation = 0
    let started = ContinuousClock.now

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// The runner's report of a phase (called on its thread).
    func report(_ phase: JobPhase) {
        lock.withLock {
            switch phase {
            case .staging: begin("staging")
            case let .staged(objects, bytes): detail = "\(Self.count(objects, "object")), \(Self.mebibytes(bytes))"; end()
            case .launching: begin("launching")
            case .running: begin("running")
            case .uploading: begin("uploading")
            case let .uploaded(objects): detail = Self.count(objects, "object"); end()
            }
        }
    }

    /// A log line (`--logs`), kept apart from the progress line.
    func logLine(_ text: String) {
        lock.withLock {
            clearProgress()
            Output.line(text)
        }
    }

    /// Ends the phase under way; returns the time since the display began ("1.30 s").
    func finish() -> String {
        lock.withLock {
            end()
            return Self.seconds(clock.now - started)
        }
    }

    // MARK: Under the lock

    private func begin(_ name: String) {
        end()
        current = (name, clock.now)
        detail = ""
        generation += 1
        guard isTerminal else { return }
        // The progress line appears only if the phase outlasts a second.
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sagebox.progress"))
        timer.schedule(deadline: .now() + 1, repeating: 0.25)
        let mine = generation
        timer.setEventHandler { [weak self] in self?.tick(mine) }
        ticker = timer
        timer.resume()
    }

    private func end() {
        ticker?.cancel()
        ticker = nil
        guard let phase = current else { return }
        current = nil
        clearProgress()
        write(Self.row(phase.name, detail, clock.now - phase.started))
    }

    private func tick(_ of: Int) {
        lock.withLock {
            guard let phase = current, of == generation else { return }
            let line = "  \(phase.name) ... \(Self.seconds(clock.now - phase.started))"
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K\(line)".utf8))
            progressShown = true
        }
    }

    private func clearProgress() {
        guard progressShown else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
        progressShown = false
    }

    private func write(_ line: String) {
        Output.line(line)
    }
    // MARK: Formatting

    static func row(_ name: String, _ detail: String, _ elapsed: Duration) -> String {
        let label = name.padding(toLength: 10, withPad: " ", startingAt: 0)
        let middle = detail.padding(toLength: 28, withPad: " ", startingAt: 0)
        return "  \(label) \(middle) \(seconds(elapsed))"
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", value)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func mebibytes(_ bytes: UInt64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
