import Foundation

/// A `/bin/sh -c` script run as a real process, its standard output captured.
final class ScriptProcess: @unchecked Sendable {  // `output` is written by the reader thread before `done`
    let process = Process()
    private let pipe = Pipe()
    private var output = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ script: String) throws {
        process.executableURL = URL(filePath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardOutput = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            output = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// Waits for the process to exit and for its output to end; returns the output.
    func finish() -> (status: Int32, output: Data) {
        process.waitUntilExit()
        done.wait()
        return (process.terminationStatus, output)
    }

    /// Runs `script` to its end.
    static func run(_ script: String) throws -> (status: Int32, output: Data) {
        try ScriptProcess(script).finish()
    }
}
