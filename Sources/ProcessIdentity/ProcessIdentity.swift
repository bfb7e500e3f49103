import Foundation

/// Identifies a process across pid reuse: its pid and its start time (clock ticks since boot, field 22 of
/// `/proc/<pid>/stat`). The job store records the process that owns a job with it, the fake S3 names its
/// temporary files after their writer, so that work a dead process left can be told from a live one's.
public struct ProcessIdentity: Sendable, Equatable {
    public var pid: Int
    public var startTime: Int

    public init(pid: Int, startTime: Int) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The live process `pid`, or nil when there is none (or only a zombie).
    public init?(pid: Int) {
        guard let (state, start) = Self.stat(of: pid), !Self.isDead(state) else { return nil }
        self.init(pid: pid, startTime: start)
    }

    /// This process.
    public static var current: ProcessIdentity? { ProcessIdentity(pid: Int(getpid())) }

    /// Whether this very process (not merely its pid) is still alive: a zombie, killed but not yet
    /// reaped, is not.
    public var isAlive: Bool {
        guard let (state, start) = Self.stat(of: pid) else { return false }
        return start == startTime && !Self.isDead(state)
    }

    private static func isDead(_ state: Substring) -> Bool { state == "Z" || state == "X" }

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
