import Foundation
import Testing

/// Runs the built `sagebox` binary (beside this test bundle) on a fresh root, as a user would.
struct Sagebox {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "sagebox-cli-\(UUID().uuidString)")
    }

    static var binary: URL {
        URL(filePath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appending(path: "sagebox")
    }

    /// The checkout this test was built from (for samples/ and tools/).
    static var repository: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func callAsFunction(_ arguments: String..., environment: [String: String] = [:]) throws -> Result {
        try Self.execute(Self.binary, ["--root", root.path] + arguments, environment: environment)
    }

    static func execute(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread while stdout is read here, so neither pipe can fill and block.
        let errors = ErrorPipeReader(err.fileHandleForReading)
        let stdout = (try? out.fileHandleForReading.readToEnd()) ?? Data()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: errors.wait(), as: UTF8.self))
    }

    /// Writes `text` to a new temporary file and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: root.appending(path: "../\(root.lastPathComponent)-files"), withIntermediateDirectories: true)
        let url = root.appending(path: "../\(root.lastPathComponent)-files/\(name)").standardizedFileURL
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

/// Reads a pipe to its end on a thread of its own.
final class ErrorPipeReader: @unchecked Sendable {  // `data` is written before `done` is signalled
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = (try? handle.readToEnd()) ?? Data()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
