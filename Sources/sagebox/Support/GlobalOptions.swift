import ArgumentParser
import Foundation
import JobStore
import ProcessingEngine

/// Options every command takes, before or after its name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder that holds sagebox's state.", valueName: "dir"))
    var root: String?

    var rootURL: URL {
        root.map { URL(filePath: $0, directoryHint: .isDirectory) } ?? SageboxRoot.defaultURL()
    }

    /// Opens the root, creating it when missing.
    func open() throws -> SageboxRoot {
        do {
            return try SageboxRoot(url: rootURL)
        } catch {
            throw CommandFailure("cannot open the sagebox root \(rootURL.path): \(error)")
        }
    }
}

/// `--training`: the commands that name a job name a processing job unless told otherwise (names are
/// unique per kind, so a processing job and a training job may share one).
struct JobKindOption: ParsableArguments {
    @Flag(help: "The job is a training job (default: a processing job).")
    var training = false

    var kind: JobKind { training ? .training : .processing }
}
