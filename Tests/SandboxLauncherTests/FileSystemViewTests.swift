import Foundation
import Testing

/// The job's view of the file system: its own /opt/ml and /tmp, the host's other entries, hidden folders.
@Suite(.timeLimit(.minutes(1)))
struct FileSystemViewTests {
    @Test func jobSeesItsFolderAtOptMLAndItsWritesLandThere() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hostOptML = HostOptML.snapshot()
        try "staged input\n".write(to: folders.optML.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)

        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["sh", "-c", "cat /opt/ml/input.txt && echo written > /opt/ml/output.txt"],
            in: folders)

        #expect(result.exitedNormally && result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "staged input\n")
        #expect(try folders.read(folders.optML.appendingPathComponent("output.txt")) == "written\n")
        #expect(HostOptML.snapshot() == hostOptML)
    }

    @Test func optMLGivenThroughASymlinkIsResolvedOnTheHost() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let link = folders.base.appendingPathComponent("job-link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: folders.base.path)

        let result = try await Launcher.run(
            ["--opt-ml", link.path + "/opt-ml", "--tmp", link.path + "/tmp"],
            program: ["sh", "-c", "echo via-link > /opt/ml/written"], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        #expect(try folders.read(folders.optML.appendingPathComponent("written")) == "via-link\n")
    }

    @Test func twoJobsAtOnceEachSeeOnlyTheirOwnOptML() async throws {
        let first = try JobFolders(), second = try JobFolders()
        defer { first.remove(); second.remove() }
        let hostOptML = HostOptML.snapshot()
        // Each writes its marker, waits while the other one runs, then reads back what /opt/ml holds.
        let script = "echo $MARK > /opt/ml/marker && sleep 1 && cat /opt/ml/marker && ls -A /opt/ml"
        func launch(_ folders: JobFolders, mark: String) async throws -> LauncherResult {
            try await Launcher.run(folders.launcherOptions, program: ["sh", "-c", script],
                                   environment: ["PATH": "/usr/bin:/bin", "MARK": mark], in: folders)
        }
        async let firstResult = launch(first, mark: "first")
        async let secondResult = launch(second, mark: "second")
        let (a, b) = try await (firstResult, secondResult)

        #expect(a.standardOutput == "first\nmarker\n", "\(a.standardError)")
        #expect(b.standardOutput == "second\nmarker\n", "\(b.standardError)")
        #expect(try first.read(first.optML.appendingPathComponent("marker")) == "first\n")
        #expect(try second.read(second.optML.appendingPathComponent("marker")) == "second\n")
        #expect(HostOptML.snapshot() == hostOptML)
    }

    @Test func tmpIsTheJobsFolderAndHidesTheHostTmp() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        try "seed\n".write(to: folders.tmp.appendingPathComponent("seed"), atomically: true, encoding: .utf8)
        let hostFile = "/tmp/sagebox-launcher-host-\(UUID().uuidString)"
        try "host\n".write(toFile: hostFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: hostFile) }

        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["sh", "-c", "ls -A /tmp; test -e \(hostFile) || echo host-file-invisible; echo job > /tmp/job-file"],
            in: folders)

        #expect(result.standardOutput == "seed\nhost-file-invisible\n", "\(result.standardError)")
        #expect(try folders.read(folders.tmp.appendingPathComponent("job-file")) == "job\n")
    }

    @Test func hiddenFolderShowsNothingAndCannotBeWritten() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        // Outside /tmp, which the job never sees anyway.
        let hidden = URL(fileURLWithPath: "/var/tmp/sagebox-launcher-hide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: hidden) }
        try "secret\n".write(to: hidden.appendingPathComponent("database"), atomically: true, encoding: .utf8)
        let script = "ls -A \(hidden.path); touch \(hidden.path)/x 2>/dev/null || echo not-writable"

        let visible = try await Launcher.run(folders.launcherOptions, program: ["ls", "-A", hidden.path], in: folders)
        let covered = try await Launcher.run(
            folders.launcherOptions + ["--hide", hidden.path, "--hide", "/no/such/folder"],
            program: ["sh", "-c", script], in: folders)

        #expect(visible.standardOutput == "database\n", "without --hide the folder is the host's")
        #expect(covered.standardOutput == "not-writable\n", "\(covered.standardError)")
        #expect(covered.status == 0)
        #expect(FileManager.default.fileExists(atPath: hidden.appendingPathComponent("database").path))
        #expect(!FileManager.default.fileExists(atPath: hidden.appendingPathComponent("x").path))
    }

    @Test func hostEntriesAreVisibleWithSymlinksKept() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hostOpt = (try? FileManager.default.contentsOfDirectory(atPath: "/opt")) ?? []
        let expectedOpt = Set(hostOpt.filter { $0 != "ml" } + ["ml"])
        let hostLib = try? FileManager.default.destinationOfSymbolicLink(atPath: "/lib")

        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["sh", "-c", "ls -A /opt; echo --; readlink /lib; echo --; head -1 /proc/self/status; test -d /usr/bin && echo usr"],
            in: folders)

        let sections = result.standardOutput.components(separatedBy: "--\n")
        #expect(sections.count == 3, "\(result.standardOutput) \(result.standardError)")
        guard sections.count == 3 else { return }
        #expect(Set(sections[0].split(separator: "\n").map(String.init)) == expectedOpt)
        #expect(sections[1] == (hostLib.map { "\($0)\n" } ?? ""))
        #expect(sections[2].hasPrefix("Name:") && sections[2].hasSuffix("usr\n"))
    }
}
