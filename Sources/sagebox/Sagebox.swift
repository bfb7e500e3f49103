import ArgumentParser

/// `sagebox`: run Amazon SageMaker Processing jobs on this machine, offline.
@main
struct Sagebox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagebox",
        abstract: "Run Amazon SageMaker Processing jobs locally, offline, with no Docker and no AWS account.",
        discussion: """
            State (the fake S3's buckets, the jobs, their logs) lives under one root folder: --root, else \
            SAGEBOX_ROOT, else ~/.local/share/sagebox.
            """,
        subcommands: [
            S3Command.self, RunCommand.self, TrainCommand.self, DescribeCommand.self, ListCommand.self, LogsCommand.self,
            StopCommand.self, DeleteCommand.self, PipelineCommand.self, ImagesCommand.self, RunJobCommand.self, ServeCommand.self, DoctorCommand.self,
        ])

    @OptionGroup var global: GlobalOptions
}
