import Foundation
@testable import ProcessingEngine

/// A real process started inside an instance's cgroup, as the launcher puts a job there: a shell joins
/// every folder (writes its pid to cgroup.procs), then execs the command.
final class CgroupProcess: @unchecked Sendable {
    let process = Process()

    init(in cgroup: InstanceCgroup, _ command: String) throws {
        let join = cgroup.launcherFolders.map { "echo $$ > '\($0)/cgroup.procs' && " }.joined()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", join + "exec " + command]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
    }

    /// Starts the process and waits for it to end, without blocking a thread.
    func run() async throws -> (reason: Process.TerminationReason, status: Int32) {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (process.terminationReason, process.terminationStatus)
    }

    /// Starts the process and returns at once.
    func start() throws { try process.run() }

    static func uniqueName() -> String { "test-\(UUID().uuidString)" }
}
