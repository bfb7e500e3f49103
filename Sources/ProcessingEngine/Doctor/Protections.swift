import Foundation

/// One protection `sagebox doctor` reports: whether it holds on this machine, and why (or why not).
public struct Protection: Sendable, Equatable {
    public let name: String
    public let holds: Bool
    public let reason: String
}

/// Probes, for real and in well under a second, which of sagebox's protections hold here: it creates and
/// removes a test cgroup, mounts and removes a small volume, and runs the launcher on `/bin/sh` with the
/// options a job gets, rather than guessing from files and versions.
public enum Protections {
    public static func check(launcher: URL, machine: MachineSize = .current(), reserve: HostReserve = HostReserve()) -> [Protection] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sagebox-doctor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sandbox = LauncherProbe(launcher: launcher, scratch: scratch)
        let basic = sandbox.run(["/bin/sh", "-c", "echo $$"])
        return [privileges(basic)] + cgroups(machine: machine, reserve: reserve) + [
            volumes(scratch),
            overlay(sandbox),
            Protection(name: "PID namespace", holds: basic.output == "2",
                       reason: basic.output == "2" ? "a job is PID 2 under its own init and sees only its own processes"
                           : basic.problem ?? "the job saw itself as PID \(basic.output), not 2"),
            network(sandbox),
        ]
    }

    private static func privileges(_ basic: LauncherProbe.Result) -> Protection {
        if geteuid() == 0 { return Protection(name: "root", holds: true, reason: "running as root: namespaces, loop volumes and cgroups are sagebox's own") }
        if let problem = basic.problem {
            return Protection(name: "user namespace", holds: false, reason: "not root, and the launcher could not make a user namespace: \(problem)")
        }
        return Protection(name: "user namespace", holds: true, reason: "a normal user: the launcher makes a user namespace of its own")
    }

    /// The hierarchy, whether sagebox may create cgroups in it, and the shared cgroup's limits.
    private static func cgroups(machine: MachineSize, reserve: HostReserve) -> [Protection] {
        guard let hierarchy = CgroupHierarchy.detect() else {
            let reason = "no cgroup memory controller on this machine: jobs run with rlimits only"
            return [Protection(name: "cgroups", holds: false, reason: reason), Protection(name: "shared cgroup", holds: false, reason: reason)]
        }
        let version = switch hierarchy {
        case .unified: "cgroup v2"
        case .legacy(let controllers): "cgroup v1 (\(controllers.keys.map(\.rawValue).sorted().joined(separator: ", ")))"
        }
        let shared: SharedCgroup
        do {
            shared = try SharedCgroup.prepare(machine: machine, reserve: reserve, hierarchy: hierarchy)
            let probe = try InstanceCgroup.create(name: "doctor-\(getpid())-\(UUID().uuidString.prefix(8))",
                                                  limits: CgroupLimits(memoryBytes: 64 << 20, vcpus: 1, maxProcesses: 64), in: shared)
            try probe.destroy()
        } catch {
            return [Protection(name: "cgroups", holds: false, reason: "\(version), but \(error): memory, vCPUs and processes are not enforced"),
                    Protection(name: "shared cgroup", holds: false, reason: "no cgroups: jobs together are bounded by nothing but their rlimits")]
        }
        let cgroupLine = Protection(name: "cgroups", holds: true, reason: "\(version): created and removed a test cgroup in \(shared.paths.joined(separator: ", "))")
        guard let memory = shared.memoryBytes, let processes = shared.maxProcesses else {
            return [cgroupLine, Protection(name: "shared cgroup", holds: false,
                                           reason: "\(shared.memoryBytes == nil ? "no memory limit" : "no pids limit (pids controller missing)") on \(shared.paths.joined(separator: ", "))")]
        }
        let gib = { (bytes: UInt64) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        return [cgroupLine, Protection(name: "shared cgroup", holds: true, reason:
            "jobs together may use \(gib(memory)) of \(gib(machine.memoryBytes)) and \(processes) of \(machine.processes) PIDs; the rest is the host's")]
    }

    private static func volumes(_ scratch: URL) -> Protection {
        let kind = geteuid() == 0 ? "loop-mounted ext4 images" : "ext4 images mounted with fuse2fs"
        do {
            let volume = try InstanceVolume.create(sizeBytes: 64 << 20, imageFile: scratch.appendingPathComponent("volume.img"),
                                                   mountPoint: scratch.appendingPathComponent("volume"))
            try volume.remove()
            // Overlayfs cannot keep an upper layer on FUSE: a normal user's container layer lives beside the volume.
            let layer = volume.holdsOverlays ? "" : "; the container layer (what a job writes outside /opt/ml and /tmp) is kept beside the volume, so the container layer is not counted in VolumeSizeInGB: only the disk floor (--disk-floor) bounds it"
            return Protection(name: "volumes", holds: true, reason: "\(kind): VolumeSizeInGB is enforced (a test volume was mounted and removed)\(layer)")
        } catch {
            return Protection(name: "volumes", holds: false, reason: "\(error); VolumeSizeInGB is not enforced")
        }
    }

    private static func overlay(_ sandbox: LauncherProbe) -> Protection {
        let layers = ["lower", "upper", "work"].map { sandbox.scratch.appendingPathComponent("overlay-\($0)") }
        for folder in layers { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try? Data("x".utf8).write(to: layers[0].appendingPathComponent("probe"))
        let spec = (layers.map(\.path) + ["/opt/ml/probe"]).joined(separator: ":")
        let result = sandbox.run(["/bin/sh", "-c", "cat /opt/ml/probe/probe && echo y > /opt/ml/probe/probe"], options: ["--overlay", spec],
                                 optMLFolders: ["probe"])
        let upperWritten = (try? String(contentsOf: layers[1].appendingPathComponent("probe"), encoding: .utf8)) == "y\n"
        if result.output == "x", upperWritten {
            return Protection(name: "overlayfs", holds: true, reason: "inputs and host folders are overlays: a job's changes never reach them")
        }
        return Protection(name: "overlayfs", holds: false, reason: result.problem ?? "an overlay did not keep the job's change apart")
    }

    private static func network(_ sandbox: LauncherProbe) -> Protection {
        let result = sandbox.run(["/bin/sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"], options: ["--no-network"])
        if result.problem == nil, result.output == "lo" {
            return Protection(name: "network isolation", holds: true, reason: "EnableNetworkIsolation gives a job its own network with only loopback")
        }
        return Protection(name: "network isolation", holds: false, reason: result.problem ?? "an isolated job still saw \(result.output)")
    }
}

/// Runs the launcher as a job would be run, on scratch /opt/ml and /tmp folders.
struct LauncherProbe {
    struct Result {
        /// The program's stdout, trimmed.
        var output: String
        /// Why the launcher or the program failed, or nil when it exited 0.
        var problem: String?
    }

    let launcher: URL
    let scratch: URL

    /// `optMLFolders` are made in the scratch /opt/ml first (an overlay's target must exist).
    func run(_ program: [String], options: [String] = [], optMLFolders: [String] = []) -> Result {
        let run = scratch.appendingPathComponent("run-\(UUID().uuidString.prefix(8))")
        let (optML, tmp) = (run.appendingPathComponent("opt-ml"), run.appendingPathComponent("tmp"))
        let (outputFile, errorFile) = (run.appendingPathComponent("stdout"), run.appendingPathComponent("launcher-error"))
        do {
            for folder in [optML, tmp] + optMLFolders.map(optML.appendingPathComponent) {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            let output = open(outputFile.path, O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            let arguments = ["--opt-ml", optML.path, "--tmp", tmp.path, "--error-file", errorFile.path] + options + ["--"] + program
            let status = try SpawnedProcess.spawn(executable: launcher.path, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"],
                                                  stdout: output, stderr: output).waitForExit()
            let text = ((try? String(contentsOf: outputFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard status != 0 else { return Result(output: text, problem: nil) }
            let error = (try? String(contentsOf: errorFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            return Result(output: text, problem: error ?? "the launcher exited with status \(status): \(text)")
        } catch {
            return Result(output: "", problem: "\(error)")
        }
    }
}
