import ArgumentParser
import Foundation
import ProcessingEngine

/// `sagebox images`: the image table, which maps ImageUris to local runtimes.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the image table: how each ImageUri runs on this machine.",
        discussion: "The table is <root>/images.json; edit it to add runtimes. The first matching entry wins.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let root = try global.open()
        let table = try ImageTable.load(from: root.imageTableURL, pythonEnvironment: ImageTable.findPythonEnvironment())
        Output.line("# \(root.imageTableURL.path)")
        for entry in table.images {
            Output.line("\(entry.match)")
            Output.line("  PATH first:  \(entry.path.isEmpty ? "(none)" : entry.path.joined(separator: ":"))")
            Output.line("  environment: \(entry.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            Output.line("  mounts:      \(entry.mounts.joined(separator: " "))")
            Output.line("  ENTRYPOINT:  \(entry.entrypoint)")
            Output.line("  CMD:         \(entry.command)")
        }
    }
}
