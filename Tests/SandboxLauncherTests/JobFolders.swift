import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A job's folders on the host, as the engine would give them to the launcher: the folder shown at
/// `/opt/ml` and the one shown at `/tmp`, inside a fresh temporary folder removed by `remove()`.
struct JobFolders {
    let base: URL
    let optML: URL
    let tmp: URL
    let errorFile: URL

    init() throws {
        base = FileManager.default.temporaryDirectory
            .appendingPathComponent("sagebox-launcher-test-\(UUID().uuidString)")
        optML = base.appendingPathComponent("opt-ml")
        tmp = base.appendingPathComponent("tmp")
        errorFile = base.appendingPathComponent("launcher-error")
        for folder in [optML, tmp] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// The options every launch needs.
    var launcherOptions: [String] {
        ["--opt-ml", optML.path, "--tmp", tmp.path, "--error-file", errorFile.path]
    }

    /// Creates a folder under the base folder (host side).
    @discardableResult
    func folder(_ relativePath: String) throws -> URL {
        let url = base.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Hands every folder to another user, for launches as that user.
    func chown(to uid: uid_t, gid: gid_t) throws {
        let enumerator = FileManager.default.enumerator(atPath: base.path)
        var paths = [base.path]
        while let relative = enumerator?.nextObject() as? String { paths.append(base.path + "/" + relative) }
        for path in paths where lchown(path, uid, gid) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM)
        }
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// overlayfs leaves `WORK/work` with mode 000, which a normal user cannot empty: open folders up first.
    func remove() {
        var folders = [base.path]
        while let folder = folders.popLast() {
            chmod(folder, 0o700)
            let children = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for child in children {
                var status = stat()
                if lstat(folder + "/" + child, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                    folders.append(folder + "/" + child)
                }
            }
        }
        try? FileManager.default.removeItem(at: base)
    }
}
