import ArgumentParser
import ProcessingEngine

/// `--stop-grace` and `--disk-floor`: how the jobs a command runs itself are stopped, for `run`, `train`,
/// `pipeline start|retry` and their background runners (which get them again through `arguments`).
struct JobLimitsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds between SIGTERM and SIGKILL when a job is stopped.", valueName: "seconds"))
    var stopGrace: Double = 120

    @Option(help: ByteCount.diskFloorHelp)
    var diskFloor = ByteCount.defaultDiskFloor

    /// The options again, for a child `sagebox` process.
    var arguments: [String] { ["--stop-grace", String(stopGrace), "--disk-floor", String(diskFloor.bytes)] }

    /// The settings of jobs run in this process.
    func settings(uploadOnFailure: Bool = false, reserve: HostReserveOptions) -> RunnerSettings {
        var settings = RunnerSettings(launcher: RunnerSettings.findLauncher())
        settings.uploadOnFailure = uploadOnFailure
        settings.stopGrace = stopGrace
        settings.diskFloorBytes = diskFloor.bytes
        settings.hostReserve = reserve.reserve
        return settings
    }
}
