import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The job gets a fresh signal state and its own process group, even when its caller blocks and
/// ignores signals (as a child of a SwiftNIO thread does).
@Suite(.timeLimit(.minutes(1)))
struct SignalTests {
    /// `sh` ignores SIGTERM and SIGPIPE, then execs the rest of its arguments; posix_spawn blocks everything.
    private func spawnWithSignalsBlockedAndIgnored(_ command: [String], output: URL) throws -> BlockedSignalsSpawn {
        try BlockedSignalsSpawn(
            ["/bin/sh", "-c", #"trap "" TERM PIPE; exec "$@""#, "sh"] + command,
            environment: ["PATH=/usr/bin:/bin"], outputPath: output.path)
    }

    private func signalLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("SigBlk:") || $0.hasPrefix("SigIgn:") }
    }

    @Test func signalMaskAndDispositionsAreResetBeforeExec() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let launcher = try LauncherBinary.url().path
        let direct = folders.base.appendingPathComponent("direct"), launched = folders.base.appendingPathComponent("launched")

        let control = try spawnWithSignalsBlockedAndIgnored(["cat", "/proc/self/status"], output: direct)
        #expect(try await control.wait() == .exited(0))
        let job = try spawnWithSignalsBlockedAndIgnored(
            [launcher] + folders.launcherOptions + ["--", "cat", "/proc/self/status"], output: launched)
        #expect(try await job.wait() == .exited(0))

        let zeros = "0000000000000000"
        let controlLines = signalLines(try folders.read(direct))
        #expect(controlLines.count == 2 && controlLines.allSatisfy { !$0.hasSuffix(zeros) },
                "the control must start with blocked and ignored signals: \(controlLines)")
        let launchedStatus = try folders.read(launched)
        #expect(signalLines(launchedStatus) == ["SigBlk:\t\(zeros)", "SigIgn:\t\(zeros)"], "\(launchedStatus)")
    }

    @Test func sigtermToTheProcessGroupReachesTheJobsChildren() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let launcher = try LauncherBinary.url().path
        let childFile = folders.optML.appendingPathComponent("child.pid")
        let job = try spawnWithSignalsBlockedAndIgnored(
            [launcher] + folders.launcherOptions
                + ["--", "sh", "-c", "sleep 30 & echo $! > /opt/ml/child.tmp && mv /opt/ml/child.tmp /opt/ml/child.pid; wait"],
            output: folders.base.appendingPathComponent("out"))

        var child: Int32?
        for _ in 0..<250 where child == nil {
            child = (try? folders.read(childFile)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if child == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let namespacePid = try #require(child, "the job never started its child")
        // The job sees its own PID namespace's numbers: find the child's host pid in the job's group.
        let childPid = try #require(ProcessState.hostPid(inGroup: job.pid, namespacePid: namespacePid),
                                    "the launcher leads the job's process group")
        #expect(kill(-job.pid, SIGTERM) == 0)

        #expect(try await job.wait() == .signaled(SIGTERM))
        var childDied = false
        for _ in 0..<100 where !childDied {
            childDied = ProcessState.isDead(childPid)
            if !childDied { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        #expect(childDied, "the job's child survived SIGTERM to the group")
        if !childDied { kill(childPid, SIGKILL) }
    }
}
