/// The container paths a processing job's inputs and outputs may use: folders under
/// `/opt/ml/processing/` (AWS's rule), never escaping it through `..`.
public enum ProcessingLocalPath {
    /// The folder every LocalPath must be under.
    public static let root = "/opt/ml/processing/"

    /// Why `path` is not a usable LocalPath, as the end of a sentence, or nil if it is usable.
    static func problem(with path: String) -> String? {
        guard path.hasPrefix(root) else {
            return "must begin with '\(root)'"
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains("..") {
            return "must not contain '..' segments: it must stay under '\(root)'"
        }
        if normalized(path) == normalized(root) {
            return "must name a folder below '\(root)', not that folder itself"
        }
        return nil
    }

    /// The path with repeated `/`, `.` segments and a trailing `/` removed, so that two spellings
    /// of one folder compare equal.
    public static func normalized(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + segments.joined(separator: "/")
    }

    /// Whether the normalized `path` lies strictly inside the normalized `folder` (nested LocalPaths).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        path.hasPrefix(folder + "/")
    }
}
