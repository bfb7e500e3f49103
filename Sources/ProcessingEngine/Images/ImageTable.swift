import Foundation

/// The image table: which local runtime runs each ImageUri. Stored as `<root>/images.json`, which a
/// person can edit; `sagebox images` lists it. The first entry whose glob matches wins.
public struct ImageTable: Codable, Sendable, Equatable {
    public var images: [ImageEntry]

    public init(images: [ImageEntry]) {
        self.images = images
    }

    /// The entry for `imageUri`, or nil when no entry matches.
    public func entry(for imageUri: String) -> ImageEntry? {
        images.first { $0.matches(imageUri) }
    }

    /// The table a new root starts with: every image runs on the host, with the samples' Python
    /// environment first on PATH when there is one, so `python3` finds pandas and scikit-learn.
    public static func makeDefault(pythonEnvironment: URL?) -> ImageTable {
        let path = pythonEnvironment.map { [$0.appending(path: "bin").path] } ?? []
        let mounts = pythonEnvironment.map { [$0.path] } ?? []
        return ImageTable(images: [
            ImageEntry(match: "*", path: path, environment: ["PYTHONUNBUFFERED": "TRUE", "PYTHONDONTWRITEBYTECODE": "TRUE"],
                       mounts: mounts),
        ])
    }

    /// Reads the table at `url`, writing the default table there first when the file does not exist.
    public static func load(from url: URL, pythonEnvironment: URL?) throws -> ImageTable {
        if !FileManager.default.fileExists(atPath: url.path) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(makeDefault(pythonEnvironment: pythonEnvironment)).write(to: url, options: .atomic)
        }
        do {
            return try JSONDecoder().decode(ImageTable.self, from: Data(contentsOf: url))
        } catch {
            throw ImageTableError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// The samples' virtual environment: `SAGEBOX_PYTHON_ENV`, else a `.venv` in a folder above the
    /// running executable (a checkout's `.build/<config>/sagebox` finds the checkout's `.venv`).
    public static func findPythonEnvironment(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let env = environment["SAGEBOX_PYTHON_ENV"], !env.isEmpty { return URL(filePath: env, directoryHint: .isDirectory) }
        var folder = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appending(path: ".venv", directoryHint: .isDirectory)
            if FileManager.default.isExecutableFile(atPath: candidate.appending(path: "bin/python3").path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

public enum ImageTableError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "The image table \(path) cannot be read: \(reason)"
        }
    }
}
