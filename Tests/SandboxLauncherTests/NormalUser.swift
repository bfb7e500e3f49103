import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A launch as a normal user: under root, `nobody` through setpriv (the job's folders are handed to
/// it); otherwise the user running the tests.
struct NormalUser {
    let uid: uid_t
    let gid: gid_t
    /// Put before the launcher's path (see `Launcher.run(runAs:)`).
    let prefix: [String]

    init() {
        if getuid() == 0 {
            uid = 65534
            gid = 65534
            prefix = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups"]
        } else {
            uid = getuid()
            gid = getgid()
            prefix = []
        }
    }

    /// Hands the job's folders to the user, so that its launch can use them.
    func own(_ folders: JobFolders) throws {
        guard getuid() == 0 else { return }
        try folders.chown(to: uid, gid: gid)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folders.base.path)
    }
}
