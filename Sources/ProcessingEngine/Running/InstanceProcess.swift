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
final class InstanceProcess: @unchecked Sendable {  // `process` is set once by `start`
    private let launcher: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let errorFile: URL
    private var process: SpawnedProcess?

    /// An overlay the launcher mounts over a staged input, so the job may change its inputs while the
    /// fake S3's files (the lower layer's hard links) stay as they are.
    struct Overlay {
        var lower: URL, upper: URL, work: URL
        var target: String
    }

    /// `host` is the instance's host name (`algo-N`): its `hostname`, with the folder's hosts file at /etc/hosts.
    /// `hostBinds` are container paths under /opt/ml shown from the instance's own `opt-ml` over the overlays
    /// (`StagingLayout.hostBinds`).
    init(launcher: URL, host: String, folder: InstanceFolder, overlays: [Overlay], hostBinds: [String] = [],
         hidden: [URL], mounts: [String],
         options: [String], argv: [String], environment: [String: String]) {
        errorFile = folder.launcherError
        var arguments = ["--opt-ml", folder.optML.path, "--tmp", folder.tmp.path, "--error-file", errorFile.path,
                         "--hostname", host, "--hosts-file", folder.hostsFile.path]
        for overlay in overlays {
            arguments += ["--overlay", [overlay.lower.path, overlay.upper.path, overlay.work.path, overlay.target].joined(separator: ":")]
        }
        for path in hostBinds { arguments += ["--opt-ml-bind", path] }
        arguments += ["--layer", folder.containerLayer.path]
        for url in hidden { arguments += ["--hide", url.path] }
        for mount in mounts {
            // `HOST:TARGET` shows a host folder read-only at another path (`docker -v`); a path alone, at its own.
            arguments += ImageEntry.shownAt(mount) != nil ? ["--show", mount] : ["--bind", mount]
        }
        arguments += options
        self.launcher = launcher
        self.arguments = arguments + ["--die-with-parent", "--"] + argv
        self.environment = environment
    }

    /// Starts the process with its output going to `capture`; `onExit` is called on a thread of its own
    /// once it has ended and every process left in its group has been killed (a container's processes
    /// die with its PID 1). That thread also spawns it: the launcher runs the job with
    /// `--die-with-parent`, whose parent to the kernel is the spawning thread, so the job dies with this
    /// process (a `kill -9` of the server) and never because some other thread ended.
    func start(capture: LogCapture, onExit: @escaping @Sendable (InstanceExit) -> Void) throws {
        try? FileManager.default.removeItem(at: errorFile)
        let spawned = SpawnResult()
        Thread { [self] in
            guard let process = spawned.publish({ try spawn(capture: capture) }) else { return }
            let status = process.waitForExit()
            kill(-process.pid, SIGKILL)
            onExit(exit(status: status))
        }.start()
        process = try spawned.wait()
    }

    /// Spawns the launcher with fresh pipes for stdout and stderr, whose read ends go to `capture`.
    private func spawn(capture: LogCapture) throws -> SpawnedProcess {
        let (process, out, err) = try Self.spawnLock.withLock {
            let out = try Self.pipe(), err = try Self.pipe()
            defer { close(out.write); close(err.write) }  // our copies: the readers see end of file when the job's close
            do {
                let process = try SpawnedProcess.spawn(executable: launcher.path, arguments: arguments, environment: environment,
                                                       stdout: out.write, stderr: err.write)
                return (process, out, err)
            } catch {
                close(out.read)
                close(err.read)
                throw error
            }
        }
        capture.read(FileHandle(fileDescriptor: out.read, closeOnDealloc: true))
        capture.read(FileHandle(fileDescriptor: err.read, closeOnDealloc: true))
        return process
    }

    var pid: Int32 { process?.pid ?? 0 }

    /// Sends `signal` to the instance's whole process group (every process the job started).
    func signalGroup(_ signal: Int32) {
        guard pid > 0 else { return }
        kill(-pid, signal)
    }

    /// How the process ended, from its wait status and the launcher's error file.
    private func exit(status: Int32) -> InstanceExit {
        let signal = status & 0x7f
        if signal != 0 { return .signaled(signal) }
        let code = (status >> 8) & 0xff
        if [125, 126, 127].contains(code),
           let reason = try? String(contentsOf: errorFile, encoding: .utf8), !reason.isEmpty {
            return .launchFailed(code: code, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return .exited(code)
    }

    /// Pipes are made and handed to a child under this lock, so that no other instance spawned at the same
    /// moment inherits their ends before they are marked close-on-exec (`pipe2` is not available to Swift).
    static let spawnLock = NSLock()

    /// A pipe whose ends are closed on exec (the spawned child gets its copies through dup2).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw EngineError.internal("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}
