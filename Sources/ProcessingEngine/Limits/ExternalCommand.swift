import Foundation

/// Runs a system tool (mkfs.ext4, mount, umount, fuse2fs, fusermount) to completion. Blocking: the
/// runner that calls it is a thread of its own.
enum ExternalCommand {
    /// The first of `candidates` that is executable.
    static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Throws with the tool's own message when it exits non-zero.
    ///
    /// Spawned, not run with Foundation's `Process`: a tool that leaves a daemon behind (fuse2fs) hands
    /// it the descriptors it inherited, and Foundation waits for the end of one of them. For the same
    /// reason its stderr goes to a file, not a pipe.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let errorsPath = FileManager.default.temporaryDirectory.appendingPathComponent("sagebox-command-\(UUID().uuidString)").path
        let errors = open(errorsPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer {
            close(errors)
            close(null)
            unlink(errorsPath)
        }
        guard errors >= 0, null >= 0 else { throw ResourceLimitError("cannot create \(errorsPath)") }
        let status = try SpawnedProcess.spawn(executable: executable, arguments: arguments,
                                              environment: ProcessInfo.processInfo.environment,
                                              stdout: null, stderr: errors).waitForExit()
        guard status != 0 else { return }
        let message = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
        let name = URL(fileURLWithPath: executable).lastPathComponent
        throw ResourceLimitError("\(name) \(arguments.joined(separator: " ")) failed: "
            + message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
