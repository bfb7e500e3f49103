import ArgumentParser
import ProcessingEngine

/// `--disk-floor 2GiB`: a byte count with an optional K, M, G or T suffix.
extension ByteCount: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }

    public var defaultValueDescription: String { description.replacingOccurrences(of: " ", with: "") }

    /// `--disk-floor`'s default (`RunnerSettings.diskFloorBytes`) and help, for `run`, `train`, `pipeline`, `run-job` and `serve`.
    static let defaultDiskFloor = ByteCount(bytes: RunnerSettings.defaultDiskFloorBytes)
    static let diskFloorHelp = ArgumentHelp(
        "Stop a job, Failed, when the free disk space of the root's file system falls below this (e.g. 2GiB, 512MiB); no volume is made larger than the space above it.",
        valueName: "size")
}
