import Foundation

/// Hands the outcome of a spawn made on one thread to the thread that asked for it, which waits.
final class SpawnResult: @unchecked Sendable {  // `result` is guarded by `condition`
    private let condition = NSCondition()
    private var result: Result<SpawnedProcess, any Error>?

    /// Runs `spawn` and publishes its outcome; returns the process, or nil when it failed.
    func publish(_ spawn: () throws -> SpawnedProcess) -> SpawnedProcess? {
        let outcome = Result { try spawn() }
        condition.lock()
        result = outcome
        condition.signal()
        condition.unlock()
        return try? outcome.get()
    }

    /// Blocks until `publish` has run, then returns the process or throws the spawn's error.
    func wait() throws -> SpawnedProcess {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
