import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// --readonly-host: nothing of the host can be changed from the job, by root or by a normal user;
/// /opt/ml and /tmp stay writable.
@Suite(.timeLimit(.minutes(1)))
struct ReadOnlyHostTests {
    /// Tries each path and prints `wrote PATH` or `failed PATH: <reason>`.
    private static func tryWriting(_ paths: [String]) -> [String] {
        let loop = #"for f in "$@"; do if msg=$( (echo x > "$f") 2>&1); then echo "wrote $f"; else echo "failed $f: ${msg##*: }"; fi; done"#
        return ["sh", "-c", loop, "sh"] + paths
    }

    /// A host folder the launching user may write, outside /tmp (which the job never sees).
    private func writableHostFolder(for user: uid_t) throws -> URL {
        let folder = URL(fileURLWithPath: "/var/tmp/sagebox-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(chown(folder.path, user, user) == 0)
        return folder
    }

    @Test(arguments: [false, true])
    func hostIsReadOnlyButOptMLAndTmpAreWritable(asNormalUser: Bool) async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let user = asNormalUser ? NormalUser() : nil
        if let user { try user.own(folders) }
        let hostFolder = try writableHostFolder(for: user?.uid ?? getuid())
        defer { try? FileManager.default.removeItem(at: hostFolder) }
        let denied = ["/etc/x", "/root/x", "/usr/x", "/x", "/opt/ml/../x", hostFolder.path + "/x"]
        let allowed = ["/opt/ml/x", "/tmp/x", "/dev/shm/x", "/dev/null"]

        let sealed = try await Launcher.run(
            folders.launcherOptions + ["--readonly-host"], program: Self.tryWriting(denied + allowed),
            runAs: user?.prefix ?? [], in: folders)
        let open = try await Launcher.run(
            folders.launcherOptions, program: Self.tryWriting([hostFolder.path + "/x"]),
            runAs: user?.prefix ?? [], in: folders)

        let lines = sealed.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == denied.count + allowed.count, "\(sealed.standardOutput)\(sealed.standardError)")
        for (path, line) in zip(denied + allowed, lines) {
            if allowed.contains(path) {
                #expect(line == "wrote \(path)")
            } else {
                #expect(line == "failed \(path): Read-only file system" || line == "failed \(path): Permission denied")
            }
        }
        #expect(try folders.read(folders.optML.appendingPathComponent("x")) == "x\n")
        #expect(!FileManager.default.fileExists(atPath: "/etc/x") && !FileManager.default.fileExists(atPath: "/root/x"))
        #expect(open.standardOutput == "wrote \(hostFolder.path)/x\n", "without --readonly-host the host folder is writable")
    }

    @Test func subMountsOfTheHostAreReadOnlyToo() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        // /sys/fs/cgroup is a mount below a mirrored host entry: recursive read-only covers it. /proc is the
        // job's own (its PID namespace's), with /proc/sys read-only as in a container.
        let result = try await Launcher.run(
            folders.launcherOptions + ["--readonly-host"],
            program: ["sh", "-c", "grep -E ' /(sys|proc/sys|usr)(/fs/cgroup)? ' /proc/self/mounts | cut -d' ' -f2,4 | cut -d, -f1 | sort -u"],
            in: folders)
        let mounts = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(!mounts.isEmpty, "\(result.standardError)")
        #expect(mounts.allSatisfy { $0.hasSuffix(" ro") }, "\(mounts)")
    }

    @Test func sysIsReadOnlyEvenWithoutReadonlyHost() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["sh", "-c", "grep -E ' /(sys|sys/fs/cgroup.*|usr) ' /proc/self/mounts | cut -d' ' -f2,4 | cut -d, -f1 | sort -u"],
            in: folders)
        let mounts = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(mounts.contains("/sys ro") && mounts.contains("/usr rw"), "\(mounts) \(result.standardError)")
        #expect(mounts.filter { $0.hasPrefix("/sys/fs/cgroup") }.count >= 1)
        #expect(mounts.filter { $0.hasPrefix("/sys") }.allSatisfy { $0.hasSuffix(" ro") }, "\(mounts)")
    }
}
