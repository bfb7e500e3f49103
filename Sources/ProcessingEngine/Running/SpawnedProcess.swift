import Foundation

/// A child process started with posix_spawn and reaped by a thread of its own.
///
/// Not Foundation's `Process`: Foundation watches a child through a socket the child inherits, and the
/// launcher closes every inherited descriptor, after which Foundation blocks its one monitoring thread in
/// `waitpid` on that child, and no other child's exit is reported until that one ends.
struct SpawnedProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with exactly `arguments` and `environment`, stdin from /dev/null, stdout and
    /// stderr on the given descriptors, in a process group of its own (so `kill(-pid)` reaches every
    /// process it starts, from the first instant), with default signal dispositions and no blocked signal.
    static func spawn(executable: String, arguments: [String], environment: [String: String],
                      stdout: Int32, stderr: Int32) throws -> SpawnedProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw EngineError.internal("posix_spawn \(executable): \(String(cString: strerror(result)))") }
        return SpawnedProcess(pid: pid)
    }

    /// Blocks until the process ends and returns its wait status, as `waitpid` gives it.
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}
