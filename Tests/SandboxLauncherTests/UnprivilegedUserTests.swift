import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Run by a normal user, the launcher isolates the job through a user namespace, and the job's files
/// are owned by that user. Under root the test becomes `nobody` with setpriv to take this path.
@Suite(.timeLimit(.minutes(1)))
struct UnprivilegedUserTests {
    private static let nobody: uid_t = 65534

    @Test func normalUserGetsTheSameViewAndOwnsTheJobsFiles() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let runningAsRoot = getuid() == 0
        let user = runningAsRoot ? Self.nobody : getuid(), group = runningAsRoot ? Self.nobody : getgid()
        let prefix = runningAsRoot
            ? ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(group)", "--clear-groups"] : []
        let object = try folders.folder("buckets").appendingPathComponent("object")
        try "stored\n".write(to: object, atomically: true, encoding: .utf8)
        let lower = try folders.folder("lower"), upper = try folders.folder("upper"), work = try folders.folder("work")
        try FileManager.default.linkItem(at: object, to: lower.appendingPathComponent("object"))
        try folders.folder("opt-ml/processing/input")
        if runningAsRoot {
            try folders.chown(to: user, gid: group)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folders.base.path)
        }
        let hostOptML = HostOptML.snapshot()

        let result = try await Launcher.run(
            folders.launcherOptions + ["--overlay", "\(lower.path):\(upper.path):\(work.path):/opt/ml/processing/input"],
            program: ["sh", "-c", "id -u; echo out > /opt/ml/result; echo changed >> /opt/ml/processing/input/object; ls -A /tmp"],
            runAs: prefix, in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "\(user)\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: folders.optML.appendingPathComponent("result").path)
        #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == user)
        #expect(try folders.read(object) == "stored\n")
        #expect(try folders.read(upper.appendingPathComponent("object")) == "stored\nchanged\n")
        #expect(HostOptML.snapshot() == hostOptML)
    }
}
