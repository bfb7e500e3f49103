import Foundation

/// A job's network (issue 11, E5): one network namespace for all of its instances, so that they reach one
/// another as algo-K on its loopback while the host's loopback services, its abstract Unix sockets and
/// other jobs stay out of reach. `sagebox-launcher --hold-network` makes and keeps it (netholder.c).
///
/// - Without EnableNetworkIsolation, the holder relays the job's 127.0.0.1:PORT to the sagebox server
///   at the host's 127.0.0.1:PORT, so AWS_ENDPOINT_URL is the same URL inside the job as outside, and
///   `slirp4netns --disable-host-loopback` (Debian's, where installed) gives it the outside network as a
///   container has it, with its DNS at 10.0.2.3.
/// - With it, the namespace has loopback only, the endpoint included out of reach, as on AWS.
///
/// Lifecycle: `begin` as the job is prepared (the holder and slirp4netns take about 20 ms to be ready, time
/// the volumes and staging take anyway), `waitUntilReady` before the instances, `stop` once they have all
/// exited (or the job ended before they started).
final class JobNetwork: @unchecked Sendable {  // written on the setting-up thread before `settled` is signalled, read after
    /// The launcher's options joining the namespace, for every instance.
    private(set) var launcherOptions: [String] = []
    /// What the timeline should say about the network.
    private(set) var notes: [String] = []
    private var holder: SpawnedProcess?
    private var slirp: SpawnedProcess?
    private var failure: (any Error)?
    private let settled = DispatchSemaphore(value: 0)

    /// Starts making the job's network on a thread of its own.
    static func begin(launcher: URL, isolated: Bool, endpoint: String?, resolvConf: URL) -> JobNetwork {
        let network = JobNetwork()
        Thread {
            do {
                try network.setUp(launcher: launcher, isolated: isolated, endpoint: endpoint, resolvConf: resolvConf)
            } catch {
                network.failure = error
            }
            network.settled.signal()
        }.start()
        return network
    }

    /// Waits until the namespace is ready for the instances; throws what made it fail.
    func waitUntilReady() throws {
        settled.wait()
        settled.signal()  // later waits return at once
        if let failure { throw failure }
    }

    /// The resolver file of a job with slirp4netns's network: its DNS forwarder.
    static let slirpResolvConf = "nameserver 10.0.2.3\n"
    static let slirpExecutable = "/usr/bin/slirp4netns"

    /// Starts the holder (and slirp4netns) for a job; `endpoint` is the server's URL when one runs.
    private func setUp(launcher: URL, isolated: Bool, endpoint: String?, resolvConf: URL) throws {
        let network = self
        let port = isolated ? nil : endpoint.flatMap { URLComponents(string: $0)?.port }
        var arguments = ["--hold-network"]
        if let port { arguments += ["--endpoint-port", String(port)] }
        let keeper = try network.spawnHolder(launcher: launcher, arguments: arguments)
        network.launcherOptions = ["--netns", "/proc/\(keeper)/ns/net"] + (geteuid() == 0 ? [] : ["--userns", "/proc/\(keeper)/ns/user"])
        guard !isolated else { return }
        guard FileManager.default.isExecutableFile(atPath: Self.slirpExecutable) else {
            network.notes.append("The job has no outside network: slirp4netns is not installed (make setup installs it)")
            return
        }
        // It writes to its ready descriptor (its stdout here) once tap0 is up in the namespace, before any
        // instance starts; it ends without a word where it cannot (no /dev/net/tun for this user, say).
        let (ready, slirp) = try network.spawnReporting(executable: Self.slirpExecutable, arguments: [
            "--configure", "--mtu=65520", "--disable-host-loopback", "--ready-fd=1", String(keeper), "tap0"])
        network.slirp = slirp
        guard let byte = try? ready.read(upToCount: 1), !byte.isEmpty else {
            network.notes.append("The job has no outside network: slirp4netns could not attach to its network namespace")
            return
        }
        try Data(Self.slirpResolvConf.utf8).write(to: resolvConf)
        network.launcherOptions += ["--resolv-conf", resolvConf.path]
    }

    /// Ends slirp4netns and the holder; the namespace goes with the last instance.
    func stop() {
        settled.wait()
        settled.signal()
        for process in [slirp, holder].compactMap({ $0 }) { kill(process.pid, SIGKILL) }
    }

    /// Spawns the holder and reads the keeper's pid from its first line.
    private func spawnHolder(launcher: URL, arguments: [String]) throws -> Int32 {
        let reader: FileHandle
        do {
            (reader, holder) = try spawnReporting(executable: launcher.path, arguments: arguments, stderr: 2)
        } catch {
            throw EngineError.internal("could not start the job's network holder: \(error)")
        }
        var line = Data()
        while let byte = try? reader.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        guard let keeper = Int32(String(decoding: line, as: UTF8.self)) else {
            stop()
            throw EngineError.internal("sagebox could not make the job's network namespace (see the server's log)")
        }
        return keeper
    }

    /// Spawns with its stdout on a pipe whose read end is returned, and its stderr on `stderr` (/dev/null
    /// by default), from a thread that lives until the process ends: the holder's parent-death signal
    /// follows the spawning thread, as the instances' do (`InstanceProcess.start`).
    private func spawnReporting(executable: String, arguments: [String], stderr: Int32? = nil) throws -> (FileHandle, SpawnedProcess) {
        // Under the instances' lock, so that no instance spawned meanwhile inherits an end (`InstanceProcess.pipe`).
        let (readEnd, writeEnd) = try InstanceProcess.spawnLock.withLock { try InstanceProcess.pipe() }
        let quiet = stderr == nil ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1
        let spawned = SpawnResult()
        Thread {
            let process = spawned.publish {
                defer { close(writeEnd); if quiet >= 0 { close(quiet) } }  // ours: the reader sees end of file when the child's go
                return try SpawnedProcess.spawn(executable: executable, arguments: arguments, environment: [:],
                                                stdout: writeEnd, stderr: stderr ?? quiet)
            }
            _ = process?.waitForExit()
        }.start()
        return (FileHandle(fileDescriptor: readEnd, closeOnDealloc: true), try spawned.wait())
    }
}
