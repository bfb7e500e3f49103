import Foundation

/// How sagebox runs the jobs of images whose URI matches `match`: there is no Docker, so an image is a
/// local runtime: PATH entries, extra environment, and the image's ENTRYPOINT and CMD.
public struct ImageEntry: Codable, Sendable, Equatable {
    /// A glob over the ImageUri (`*` and `?`), e.g. `*sagemaker-scikit-learn*`; `*` matches every image.
    public var match: String
    /// Folders put first on the job's PATH, e.g. a Python virtual environment's `bin`.
    public var path: [String]
    /// Variables the image sets (`ENV` in a Dockerfile); the request's Environment overrides them.
    /// `{ImageTag}` in a value becomes the job's ImageUri tag (`environment(for:)`).
    public var environment: [String: String]
    /// Host folders the runtime needs, shown in the job at their own path even where the job's view
    /// replaces the host's folder (a Python environment under /tmp, say), like `docker run -v DIR:DIR`.
    /// `HOST:TARGET` shows the host folder read-only at TARGET instead (`docker run -v HOST:TARGET:ro`),
    /// so that a user's own image URI can map to a program of ours at the path its image has it
    /// (`/opt/program/submit`).
    public var mounts: [String]
    /// The image's ENTRYPOINT, used when the request gives no ContainerEntrypoint.
    public var entrypoint: [String]
    /// The image's CMD, used when the request gives neither ContainerEntrypoint nor ContainerArguments.
    public var command: [String]
    /// The image's WORKDIR: the job's working directory (writable, as in a container).
    public var workdir: String
    /// The host paths the image's runtime needs besides `mounts`: what the job sees of the host. Anything
    /// else is absent (home folders, other sagebox roots, /srv...); "/" alone shows every top-level entry.
    public var hostPaths: [String]
    /// A built-in algorithm's own metrics (`{"name", "regex"}`), matched against a training job's logs
    /// when its request defines none, as SageMaker does for its algorithms' images.
    public var metricDefinitions: [Metric]

    public struct Metric: Codable, Sendable, Equatable {
        public var name: String
        public var regex: String

        public init(name: String, regex: String) {
            self.name = name
            self.regex = regex
        }
    }

    /// A Debian-like system: programs, libraries, configuration, and what lives in /opt (toolchains).
    public static let systemFolders = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr", "/etc", "/opt"]

    public init(match: String, path: [String] = [], environment: [String: String] = [:], mounts: [String] = [],
                entrypoint: [String] = [], command: [String] = [], workdir: String = "/",
                hostPaths: [String] = ImageEntry.systemFolders, metricDefinitions: [Metric] = []) {
        self.match = match
        self.path = path
        self.environment = environment
        self.mounts = mounts
        self.entrypoint = entrypoint
        self.command = command
        self.workdir = workdir
        self.hostPaths = hostPaths
        self.metricDefinitions = metricDefinitions
    }

    private enum CodingKeys: String, CodingKey { case match, path, environment, mounts, entrypoint, command, workdir, hostPaths, metricDefinitions }

    /// Every member but `match` may be left out of the file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        match = try container.decode(String.self, forKey: .match)
        path = try container.decodeIfPresent([String].self, forKey: .path) ?? []
        environment = try container.decodeIfPresent([String: String].self, forKey: .environment) ?? [:]
        mounts = try container.decodeIfPresent([String].self, forKey: .mounts) ?? []
        entrypoint = try container.decodeIfPresent([String].self, forKey: .entrypoint) ?? []
        command = try container.decodeIfPresent([String].self, forKey: .command) ?? []
        workdir = try container.decodeIfPresent(String.self, forKey: .workdir) ?? "/"
        hostPaths = try container.decodeIfPresent([String].self, forKey: .hostPaths) ?? Self.systemFolders
        metricDefinitions = try container.decodeIfPresent([Metric].self, forKey: .metricDefinitions) ?? []
    }

    /// `mounts`, and for each Python virtual environment among them the installation it was made from
    /// (`home` in its pyvenv.cfg: a venv's python is a link to it, under /root/.pyenv say, which a job
    /// would not otherwise see).
    public var runtimeMounts: [String] {
        var all = mounts
        for mount in mounts where Self.shownAt(mount) == nil {
            let config = URL(filePath: mount).appending(path: "pyvenv.cfg")
            guard let text = try? String(contentsOf: config, encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("home") }),
                  let equals = line.firstIndex(of: "=") else { continue }
            let home = URL(filePath: line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            let installation = home.deletingLastPathComponent().standardizedFileURL.path
            if !all.contains(installation) && !["/usr", "/usr/local", "/"].contains(installation) { all.append(installation) }
        }
        return all
    }

    /// The target of a `HOST:TARGET` mount, or nil for a folder shown at its own path.
    static func shownAt(_ mount: String) -> String? {
        guard let colon = mount.firstIndex(of: ":") else { return nil }
        return String(mount[mount.index(after: colon)...])
    }

    /// The launcher's options for the image's view of the host: its host paths and working directory.
    var launcherOptions: [String] {
        hostPaths.flatMap { ["--host-path", $0] } + ["--workdir", workdir]
    }

    /// The image's variables for a job of `imageUri`: `{ImageTag}` in a value is replaced by the URI's
    /// tag (`1.7-1` of `…/sagemaker-xgboost:1.7-1`), so that one entry serves every version of an image
    /// whose runtime behaves by version.
    public func environment(for imageUri: String) -> [String: String] {
        let tag = Self.tag(of: imageUri)
        return environment.mapValues { $0.replacingOccurrences(of: "{ImageTag}", with: tag) }
    }

    /// The tag of an image URI: what follows the last `:` after the last `/` ("latest" when there is none).
    static func tag(of imageUri: String) -> String {
        let name = imageUri.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = name.lastIndex(of: ":") else { return "latest" }
        return String(name[name.index(after: colon)...].prefix { $0 != "@" })
    }

    /// Whether `imageUri` matches this entry's glob.
    public func matches(_ imageUri: String) -> Bool {
        Glob.matches(pattern: Array(match.utf8), text: Array(imageUri.utf8))
    }

    /// The argv that `docker run` would run for a request with this entrypoint and these arguments:
    /// an entrypoint replaces ENTRYPOINT and CMD; arguments alone replace CMD.
    public func argv(entrypoint requested: [String]?, arguments: [String]?) -> [String] {
        switch (requested, arguments) {
        case let (e?, a?): e + a
        case let (e?, nil): e
        case let (nil, a?): entrypoint + a
        case (nil, nil): entrypoint + command
        }
    }
}

/// `*` and `?` globbing, enough for image URIs.
enum Glob {
    static func matches(pattern: [UInt8], text: [UInt8]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
