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

    /// The host pid of the process in process group `group` that its own PID namespace numbers
    /// `namespacePid` (the last number of `NSpid` in /proc/<pid>/status), or nil.
    static func hostPid(inGroup group: Int32, namespacePid: Int32) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries.compactMap(Int32.init) where getpgid(pid) == group {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { continue }
            if line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap({ Int32($0) }) == namespacePid { return pid }
        }
        return nil
    }
}
