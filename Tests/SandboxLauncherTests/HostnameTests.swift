import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// --hostname and --hosts-file: the job's host name is its own (a UTS namespace of its own), and its
/// /etc/hostname and /etc/hosts are the given ones, read-only, while the host's stay as they were.
@Suite(.timeLimit(.minutes(1)))
struct HostnameTests {
    private static let hosts = "127.0.0.1\tlocalhost\n127.0.0.2\talgo-1\n127.0.0.3\talgo-2\n"

    /// Prints the host name, both files, what algo-1 resolves to, and how /etc/hosts is mounted.
    private static let probe = """
        hostname; cat /etc/hostname; cat /etc/hosts
        python3 -c 'import socket; print(socket.gethostbyname("algo-1"), socket.gethostname())'
        grep -E ' /etc/(hosts|hostname) ' /proc/self/mounts | cut -d' ' -f2,4 | cut -d, -f1
        """

    /// gethostname(2) of the test process (Foundation's hostName may look the name up instead).
    private static func machineName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The host's own name and files, to show that a launch leaves them as they were.
    private struct HostIdentity: Equatable {
        let name = HostnameTests.machineName()
        let hosts = try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)
        let hostname = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8)
    }

    @Test(arguments: [false, true])
    func theJobHasItsOwnHostNameAndHostsFile(asNormalUser: Bool) async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hostsFile = folders.base.appendingPathComponent("hosts")
        try Self.hosts.write(to: hostsFile, atomically: true, encoding: .utf8)
        let user = asNormalUser ? NormalUser() : nil
        if let user { try user.own(folders) }
        let before = HostIdentity()

        let result = try await Launcher.run(
            folders.launcherOptions + ["--hostname", "algo-2", "--hosts-file", hostsFile.path],
            program: ["sh", "-c", Self.probe], runAs: user?.prefix ?? [], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        let hostnameLine = FileManager.default.fileExists(atPath: "/etc/hostname") ? "algo-2\n" : ""
        #expect(result.standardOutput == "algo-2\n" + hostnameLine + Self.hosts + "127.0.0.2 algo-2\n"
                + (hostnameLine.isEmpty ? "" : "/etc/hostname ro\n") + "/etc/hosts ro\n")
        #expect(HostIdentity() == before)
        #expect(before.name != "algo-2" && before.hosts != Self.hosts)
    }

    @Test func theHostsFileCannotBeChangedFromTheJob() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hostsFile = folders.base.appendingPathComponent("hosts")
        try Self.hosts.write(to: hostsFile, atomically: true, encoding: .utf8)

        let result = try await Launcher.run(
            folders.launcherOptions + ["--hostname", "algo-1", "--hosts-file", hostsFile.path],
            program: ["sh", "-c", "echo '127.0.0.9 algo-1' >> /etc/hosts || echo refused; hostname algo-9 2>/dev/null || echo refused; hostname"],
            in: folders)

        #expect(result.standardOutput == "refused\nrefused\nalgo-1\n", "\(result.standardError)")
        #expect(try folders.read(hostsFile) == Self.hosts)
    }

    @Test func withoutHostnameTheJobSeesTheHostsName() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(folders.launcherOptions, program: ["hostname"], in: folders)
        #expect(result.standardOutput == Self.machineName() + "\n", "\(result.standardError)")
    }

    @Test func aHostNameThatCouldBreakAFileIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(folders.launcherOptions + ["--hostname", "algo-1\n10.0.0.1"], program: ["true"], in: folders)
        #expect(result.status == 125)
        #expect(try folders.read(folders.errorFile)
                == "sagebox-launcher: --hostname algo-1\n10.0.0.1: expected 1 to 64 letters, digits, '-' or '.': Invalid argument\n")
    }
}
