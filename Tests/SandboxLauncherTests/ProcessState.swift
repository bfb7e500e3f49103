import Foundation

/// A process's state letter from /proc (R, S, Z...), or nil once the process is gone.
enum ProcessState {
    static func of(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let closing = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(closing, offsetBy: 2)...].first
    }

    /// True once the process is gone or a zombie (dead, not yet reaped by its new parent).
    static func isDead(_ pid: Int32) -> Bool {
        guard let state = of(pid) else { return true }
        return state == "Z" || state == "X"
    }
}
