import Foundation

/// Finds the built `sagebox-launcher` next to the test bundle: SwiftPM puts every product of a build
/// in one folder (`.build/<triple>/debug/`), which also holds the `.xctest` bundle running these tests.
enum LauncherBinary {
    struct Missing: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "sagebox-launcher not found; build it first (swift build --product sagebox-launcher). Searched: "
                + searched.joined(separator: ", ")
        }
    }

    static func url() throws -> URL {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SAGEBOX_LAUNCHER"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        // The test runner: .build/debug/<Package>PackageTests.xctest (Linux) or the bundle inside it (macOS).
        for start in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            var folder = start.standardizedFileURL
            for _ in 0..<4 {
                folder = folder.deletingLastPathComponent()
                candidates.append(folder.appendingPathComponent("sagebox-launcher"))
            }
        }
        // The package's own build folder, from this file's place in Tests/SandboxLauncherTests.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/sagebox-launcher"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw Missing(searched: candidates.map(\.path))
    }
}
