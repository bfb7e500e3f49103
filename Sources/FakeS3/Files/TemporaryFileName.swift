import Foundation
import ProcessIdentity

/// Names of the files written in `<root>/tmp` before they become objects or parts:
/// `<purpose>.<pid>.<start time>.<unique>.part`, the writer's `ProcessIdentity` in the name. The CLI and
/// a server may write there at once, so a restart cannot take every `.part` file for a leftover: it
/// removes those whose writer is gone (`S3Store.removeAbandonedTemporaryFiles`). The name rather than an
/// flock held while writing, because a file is closed before it is published and must not be taken for
/// abandoned in between.
public enum TemporaryFileName {
    static let suffix = ".part"

    /// A new name for `purpose` (letters and dashes: `http-put`, `s3-put`...), unique to this call.
    public static func make(_ purpose: String) -> String {
        "\(purpose).\(writer).\(UUID().uuidString)\(suffix)"
    }

    /// This process, read once from /proc rather than at every upload.
    private static let writer = ProcessIdentity.current.map { "\($0.pid).\($0.startTime)" } ?? "0.0"

    /// Who writes a temporary file, as its name says.
    enum Writer {
        case process(ProcessIdentity)
        /// A name given before writers were named (by an older sagebox).
        case unnamed
    }

    /// The writer of the file `name`, or nil when it is not a temporary file.
    static func writer(of name: String) -> Writer? {
        guard name.hasSuffix(suffix) else { return nil }
        let fields = name.dropLast(suffix.count).split(separator: ".")
        guard fields.count == 4, let pid = Int(fields[1]), let start = Int(fields[2]) else { return .unnamed }
        return .process(ProcessIdentity(pid: pid, startTime: start))
    }
}
