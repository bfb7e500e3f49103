import Foundation

/// Identifies a process across pid reuse: its pid and its start time (clock ticks since boot, field 22 of
/// `/proc/<pid>/stat`).
public struct RunnerProcess: Sendable, Equatable {
    public var pid: Int
    public var startTime: Int

    public init(pid: Int, startTime: Int) {
        self.pid = pid
        self.startTime = startTime
    }

    /// This process.
    public static var current: RunnerProcess? {
        let pid = Int(getpid())
        return startTime(of: pid).map { RunnerProcess(pid: pid, startTime: $0) }
    }

    /// Whether this very process (not merely its pid) is still alive: a zombie, killed but not yet
    /// reaped, is not.
    public var isAlive: Bool {
        guard let (state, start) = Self.stat(of: pid) else { return false }
        return start == startTime && state != "Z" && state != "X"
    }

    static func startTime(of pid: Int) -> Int? { stat(of: pid)?.startTime }

    /// The state (field 3) and start time (field 22) of `/proc/<pid>/stat`.
    private static func stat(of pid: Int) -> (state: Substring, startTime: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // The fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let start = Int(fields[19]) else { return nil }
        return (fields[0], start)
    }
}
