import ArgumentParser
import Foundation
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
