import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A root job cannot undo its sandbox: no umount, no remount read-write, no way to the hidden folder.
@Suite(.timeLimit(.minutes(1)))
struct PrivilegeTests {
    private static let capSysAdmin = 21, capDacReadSearch = 2, capSysPtrace = 19, capChown = 0

    @Test func rootJobCannotUnmountRemountOrReachTheHiddenFolder() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hidden = URL(fileURLWithPath: "/var/tmp/sagebox-privileges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: hidden) }
        try "secret\n".write(to: hidden.appendingPathComponent("database"), atomically: true, encoding: .utf8)
        let script = """
            umount \(hidden.path) 2>/dev/null && echo unmounted-hide
            umount -l /opt/ml 2>/dev/null && echo unmounted-opt-ml
            mount -o remount,rw / 2>/dev/null && echo remounted-root
            mount -o remount,rw /usr 2>/dev/null && echo remounted-usr
            mount -t tmpfs none /opt/ml 2>/dev/null && echo mounted
            unshare -m true 2>/dev/null && echo unshared
            ls -A \(hidden.path); cat \(hidden.path)/database 2>/dev/null
            grep -E '^(CapBnd|CapEff|NoNewPrivs)' /proc/self/status
            """

        let result = try await Launcher.run(
            folders.launcherOptions + ["--readonly-host", "--hide", hidden.path],
            program: ["sh", "-c", script], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "nothing but the status lines: \(lines)")
        let fields = Dictionary(uniqueKeysWithValues: lines.compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        })
        #expect(fields["NoNewPrivs"] == "1")
        for name in ["CapBnd", "CapEff"] {
            let mask = UInt64(fields[name] ?? "", radix: 16) ?? 0
            if getuid() == 0 { #expect(mask & (1 << UInt64(Self.capChown)) != 0, "root keeps CAP_CHOWN") }
            for capability in [Self.capSysAdmin, Self.capDacReadSearch, Self.capSysPtrace] {
                #expect(mask & (1 << UInt64(capability)) == 0, "\(name) holds capability \(capability)")
            }
        }
    }
}
