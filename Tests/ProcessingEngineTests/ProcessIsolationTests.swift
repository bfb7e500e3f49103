import Foundation
import JobStore
import ProcessingEngine
import Testing

/// Issue 11's second policy: a job sees and can signal only its own processes (E3), and reaches no
/// other job, nor sagebox, through /proc (E4). A host process started by the test stands for them.
@Suite("A job's processes are its own")
struct ProcessIsolationTests {
    /// A host process outside every job: `sleep` with a secret in its environment.
    private final class HostProcess {
        let process = Process()
        let secret = "sagebox-secret-\(UUID().uuidString)"

        init() throws {
            process.executableURL = URL(filePath: "/bin/sleep")
            process.arguments = ["60"]
            process.environment = ["SAGEBOX_TEST_SECRET": secret]
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }
        var isRunning: Bool { process.isRunning }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }  // SIGTERM may come blocked from the test runner
        }
    }

    @Test func aJobSeesOnlyItsOwnProcessesInProc() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("own-proc", script: "sleep 0.1 & ls -d /proc/[0-9]* | wc -l; echo $$ $PPID"))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        let logs = try fixture.logs("own-proc")
        // init, the shell, sleep, ls and wc at the most: nothing of the host's hundreds.
        #expect((Int(logs.first ?? "") ?? .max) <= 5, "\(logs)")
        #expect(logs.last == "2 1", "the job is PID 2 of its own namespace, under its init")
    }

    @Test func aJobCannotSignalAHostProcessNorItsOwnInit() throws {
        let fixture = try EngineFixture()
        let host = try HostProcess()
        let script = "kill -9 \(host.pid) 2>/dev/null && echo killed || echo refused; kill -9 $PPID; kill -9 1; echo alive"
        let job = try fixture.run(fixture.request("kill-host", script: script))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("kill-host") == ["refused", "alive"])
        #expect(host.isRunning)
    }

    @Test func aJobCannotReadAnotherProcesssEnvironmentOrRootThroughProc() throws {
        let fixture = try EngineFixture()
        let host = try HostProcess()
        let script = "cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c \(host.secret); ls /proc/\(host.pid)/root 2>/dev/null | wc -l"
        let job = try fixture.run(fixture.request("read-proc", script: script))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("read-proc") == ["0", "0"])
    }
}
