import Foundation

/// How an instance's process ended.
enum InstanceExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    /// The launcher could not isolate or start the job; the text says why.
    case launchFailed(code: Int32, reason: String)

    var succeeded: Bool { self == .exited(0) }
}

/// One instance's process: the sandbox launcher, which sets up the job's view of the machine and then
/// becomes the entrypoint. Its pid is the job process's pid and the leader of its process group.
final class InstanceProcess: @unchecked Sendable {  // `process` is only touched by its owner
    private let process = Process()
    private let errorFile: URL

    /// An overlay the launcher mounts over a staged input, so the job may change its inputs while the
    /// fake S3's files (the lower layer's hard links) stay as they are.
    struct Overlay {
        var lower: URL, upper: URL, work: URL
        var target: String
    }

    init(launcher: URL, folder: InstanceFolder, overlays: [Overlay], hidden: [URL], mounts: [String],
         argv: [String], environment: [String: String]) {
        errorFile = folder.launcherError
        var arguments = ["--opt-ml", folder.optML.path, "--tmp", folder.tmp.path, "--error-file", errorFile.path]
        for overlay in overlays {
            arguments += ["--overlay", [overlay.lower.path, overlay.upper.path, overlay.work.path, overlay.target].joined(separator: ":")]
        }
        for url in hidden { arguments += ["--hide", url.path] }
        for path in mounts { arguments += ["--bind", path] }
        process.executableURL = launcher
        process.arguments = arguments + ["--"] + argv
        process.environment = environment
        process.currentDirectoryURL = URL(filePath: "/")
        process.standardInput = FileHandle.nullDevice
    }

    /// Starts the process with its output going to `capture`.
    func start(capture: LogCapture) throws {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try? FileManager.default.removeItem(at: errorFile)
        try process.run()
        // Close our copies of the write ends, or the readers never see end of file.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        capture.read(out.fileHandleForReading)
        capture.read(err.fileHandleForReading)
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the instance's whole process group (every process the job started).
    func signalGroup(_ signal: Int32) {
        guard process.isRunning || pid > 0 else { return }
        kill(-pid, signal)
    }

    /// Blocks until the process exits.
    func waitUntilExit() -> InstanceExit {
        process.waitUntilExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal { return .signaled(status) }
        if [125, 126, 127].contains(status),
           let reason = try? String(contentsOf: errorFile, encoding: .utf8), !reason.isEmpty {
            return .launchFailed(code: status, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return .exited(status)
    }
}
