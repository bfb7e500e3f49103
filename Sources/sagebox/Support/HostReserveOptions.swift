import ArgumentParser
import ProcessingEngine

/// `--host-reserve` and `--host-reserve-pids`: what the shared cgroup of all running instances leaves to
/// the host. Every command that runs jobs takes them, and passes them on to its background runner.
struct HostReserveOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Memory kept for the host, which jobs together never take (e.g. 4G, 512M, 15%). Default: the larger of 2G and 10%.",
        valueName: "size"))
    var hostReserve: String?

    @Option(help: ArgumentHelp(
        "PIDs kept for the host, which jobs together never take (e.g. 4096, 25%). Default: the larger of 1024 and 25%.",
        valueName: "count"))
    var hostReservePids: String?

    func validate() throws {
        if let hostReserve, HostReserve.parse(hostReserve) == nil {
            throw ValidationError("--host-reserve \(hostReserve): expected a size such as 4G, 512M or 15%.")
        }
        if let hostReservePids, HostReserve.parse(hostReservePids) == nil {
            throw ValidationError("--host-reserve-pids \(hostReservePids): expected a count such as 4096 or 25%.")
        }
    }

    var reserve: HostReserve {
        HostReserve(memory: hostReserve.flatMap(HostReserve.parse), processes: hostReservePids.flatMap(HostReserve.parse))
    }

    /// The options again, for a child `sagebox` process.
    var arguments: [String] {
        (hostReserve.map { ["--host-reserve", $0] } ?? []) + (hostReservePids.map { ["--host-reserve-pids", $0] } ?? [])
    }
}
