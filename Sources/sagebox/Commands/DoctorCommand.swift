import ArgumentParser
import ProcessingEngine

/// `sagebox doctor`: which of sagebox's protections hold on this machine, and why the others do not.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say which protections hold on this machine (ok), and why the others do not (no).",
        discussion: """
            Probes for real: creates and removes a test cgroup, mounts and removes a small volume, runs the \
            sandbox launcher with a job's options. Writes the shared cgroup's limits, as a job start does \
            (--host-reserve, --host-reserve-pids). Always exits 0.
            """)

    @OptionGroup var reserve: HostReserveOptions

    func run() throws {
        let protections = Protections.check(launcher: RunnerSettings.findLauncher(), reserve: reserve.reserve)
        let width = protections.map(\.name.count).max() ?? 0
        for protection in protections {
            let name = protection.name.padding(toLength: width, withPad: " ", startingAt: 0)
            Output.line("\(protection.holds ? "ok" : "no")  \(name)  \(protection.reason)")
        }
    }
}
