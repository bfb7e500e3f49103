import Foundation
import ProcessingEngine
import Synchronization

/// What `run --wait` and `train --wait` print of a job's phases (`JobPhase`): one line per phase once it
/// ends, with the time it took. On a terminal, a phase that lasts more than a second (a large staging or
/// upload, the job's own run) shows a progress line (its name and elapsed time, redrawn in place) until
/// its line replaces it; when the output is not a terminal, only the plain lines are written.
final class PhaseDisplay: Sendable {
    private struct State {
        var current: (name: String, started: ContinuousClock.Instant)?
        /// What the next line of `current` says beside its name ("3 objects, 0.1 MiB").
        var detail = ""
        var progressShown = false
        var ticker: DispatchSourceTimer?
        /// Which phase a tick belongs to: one already queued when its phase ended draws nothing.
        var generation = 0
    }

    private let state = Mutex(State())
    private let isTerminal: Bool
    let started = ContinuousClock.now

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// The runner's report of a phase (called on its thread).
    func report(_ phase: JobPhase) {
        state.withLock { state in
            switch phase {
            case .staging: begin("staging", &state)
            case let .staged(objects, bytes): state.detail = "\(Self.count(objects, "object")), \(Self.mebibytes(bytes))"; Self.end(&state)
            case .launching: begin("launching", &state)
            case .running: begin("running", &state)
            case .uploading: begin("uploading", &state)
            case let .uploaded(objects): state.detail = Self.count(objects, "object"); Self.end(&state)
            }
        }
    }

    /// A log line (`--logs`), kept apart from the progress line.
    func logLine(_ text: String) {
        state.withLock { state in
            Self.clearProgress(&state)
            Output.line(text)
        }
    }

    /// Ends the phase under way; returns the time since the display began ("1.30 s").
    func finish() -> String {
        state.withLock { state in
            Self.end(&state)
            return Self.seconds(.now - started)
        }
    }

    // MARK: Under the lock

    private func begin(_ name: String, _ state: inout State) {
        Self.end(&state)
        state.current = (name, .now)
        state.detail = ""
        state.generation += 1
        guard isTerminal else { return }
        // The progress line appears only if the phase outlasts a second.
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sagebox.progress"))
        timer.schedule(deadline: .now() + 1, repeating: 0.25)
        let mine = state.generation
        timer.setEventHandler { [weak self] in self?.tick(mine) }
        state.ticker = timer
        timer.resume()
    }

    private static func end(_ state: inout State) {
        state.ticker?.cancel()
        state.ticker = nil
        guard let phase = state.current else { return }
        state.current = nil
        clearProgress(&state)
        Output.line(row(phase.name, state.detail, .now - phase.started))
    }

    private func tick(_ of: Int) {
        state.withLock { state in
            guard let phase = state.current, of == state.generation else { return }
            let line = "  \(phase.name) ... \(Self.seconds(.now - phase.started))"
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K\(line)".utf8))
            state.progressShown = true
        }
    }

    private static func clearProgress(_ state: inout State) {
        guard state.progressShown else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
        state.progressShown = false
    }

    // MARK: Formatting

    /// One phase's (or pipeline step's) line: its name, what it did, and its time once it ended.
    static func row(_ name: String, _ detail: String, _ elapsed: Duration?) -> String {
        let label = name.count < 10 ? name.padding(toLength: 10, withPad: " ", startingAt: 0) : name
        guard let elapsed else { return "  \(label) \(detail)" }
        let middle = detail.count < 28 ? detail.padding(toLength: 28, withPad: " ", startingAt: 0) : detail
        return "  \(label) \(middle) \(seconds(elapsed))"
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", value)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func mebibytes(_ bytes: UInt64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
