import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process started with posix_spawn and every signal blocked, as a child of a SwiftNIO thread
/// would start: the case the launcher must repair before exec.
struct BlockedSignalsSpawn {
    let pid: pid_t

    /// How a waited-for process ended: an exit code, or the signal that killed it.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `command` (its first element a path) with `environment`; stdout goes to `outputPath`.
    init(_ command: [String], environment: [String], outputPath: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigfillset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failed(description: "posix_spawn \(command[0]): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Polls without blocking a thread; kills the process and fails after `seconds`.
    func wait(seconds: Double = 20) async throws -> Ending {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failed(description: "process \(pid) still running after \(seconds) s")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
