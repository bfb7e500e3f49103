import Foundation

/// The fallback where no close event can be seen: scan the folder now and then, and call a file ready
/// once its signature has not changed for `stableSeconds` (spec §12: one second).
struct StableFileScanner {
    let root: ContainedPath
    var stableSeconds: Double = 1
    /// Each file's signature when it was last seen to change, and when that was.
    private var seen: [String: (signature: FileSignature, since: Date)] = [:]

    init(root: ContainedPath) {
        self.root = root
    }

    /// The files whose content has settled and differs from what `uploaded` says was uploaded.
    mutating func readyFiles(uploaded: (String) -> FileSignature?, now: Date = Date()) -> [String] {
        var ready: [String] = []
        var current: [String: (signature: FileSignature, since: Date)] = [:]
        for file in OutputTree.regularFiles(under: root) {
            guard uploaded(file.path) != file.signature else { continue }
            if let previous = seen[file.path], previous.signature == file.signature {
                current[file.path] = previous
                if now.timeIntervalSince(previous.since) >= stableSeconds { ready.append(file.path) }
            } else {
                current[file.path] = (file.signature, now)
            }
        }
        seen = current
        return ready
    }
}
