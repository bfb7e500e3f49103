import Foundation

/// Runs a system tool (mkfs.ext4, mount, umount) to completion. Blocking: the runner that calls it is a
/// thread of its own.
enum ExternalCommand {
    /// The first of `candidates` that is executable.
    static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Throws with the tool's own message when it exits non-zero.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw ResourceLimitError("\(name) \(arguments.joined(separator: " ")) failed: "
                + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
