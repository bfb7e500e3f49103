import Foundation

/// Runs `sagebox-launcher` with Foundation's `Process`, as the engine does, and waits for it without
/// blocking a thread. Output goes to files, so that a chatty job cannot fill a pipe and stall.
enum Launcher {
    static func run(
        _ options: [String],
        program: [String],
        environment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"],
        runAs prefix: [String] = [],
        in folders: JobFolders
    ) async throws -> LauncherResult {
        let launcher = try LauncherBinary.url()
        let process = Process()
        let command = prefix + [launcher.path] + options + ["--"] + program
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        process.currentDirectoryURL = folders.base
        let name = UUID().uuidString
        let outputURL = folders.base.appendingPathComponent("stdout-\(name)")
        let errorURL = folders.base.appendingPathComponent("stderr-\(name)")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return LauncherResult(
            reason: process.terminationReason,
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: outputURL, encoding: .utf8),
            standardError: try String(contentsOf: errorURL, encoding: .utf8)
        )
    }
}
