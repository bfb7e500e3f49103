import Foundation

/// A TCP listener on the host's 127.0.0.1, in a Python process of its own (it never accepts: the kernel
/// completes handshakes from the backlog), for a job to try to reach.
struct HostListener {
    let process: Process
    let port: Int

    init() throws {
        process = Process()
        process.executableURL = URL(filePath: "/usr/bin/python3")
        process.arguments = ["-c", "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(16); "
                             + "print(s.getsockname()[1], flush=True); sys.stdin.read()"]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = Pipe()
        try process.run()
        port = Int(out.fileHandleForReading.firstLine()) ?? 0
    }

    /// SIGKILL: the test's threads may block SIGTERM, and a child inherits that mask.
    func close() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

extension FileHandle {
    /// What comes before the first newline (or the end), trimmed: the line a child process prints once ready.
    func firstLine() -> String {
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
