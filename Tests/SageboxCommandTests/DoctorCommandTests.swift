import Foundation
import Testing

/// `sagebox doctor`: one line per protection, `ok` or `no` with its reason, always exit 0.
struct DoctorCommandTests {
    /// The doctor's lines by protection name ("ok" or "no", then the reason).
    static func lines(_ stdout: String) -> [String: (holds: String, reason: String)] {
        var found: [String: (String, String)] = [:]
        for line in stdout.split(separator: "\n") {
            let fields = line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { continue }
            found[fields[1]] = (fields[0], fields[2])
        }
        return found
    }

    @Test func everyProtectionThisMachineHasIsOK() throws {
        let result = try Sagebox()("doctor")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = Self.lines(result.stdout)
        #expect(lines.count == 7, "\(result.stdout)")
        // This CI machine: root, cgroup v1, loop volumes, overlayfs, PID and network namespaces.
        for name in ["root", "cgroups", "shared cgroup", "volumes", "overlayfs", "PID namespace", "network isolation"] {
            #expect(lines[name]?.holds == "ok", "\(name): \(result.stdout)")
        }
        let v1 = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes")
        #expect(lines["cgroups"]?.reason.hasPrefix(v1 ? "cgroup v1" : "cgroup v2") == true, "\(result.stdout)")
        #expect(lines["volumes"]?.reason.hasPrefix("loop-mounted") == true)
        #expect(lines["shared cgroup"]?.reason.contains("jobs together may use") == true)
    }

    @Test func anUnreadableReserveIsRefusedBeforeAnythingIsWritten() throws {
        let result = try Sagebox()("doctor", "--host-reserve", "lots")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--host-reserve lots: expected a size such as 4G, 512M or 15%."), "\(result.stderr)")
    }
}
