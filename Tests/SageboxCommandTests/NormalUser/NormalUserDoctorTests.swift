import Foundation
import Testing

/// `sagebox doctor` run by a normal user inside delegated cgroups: the user namespace, cgroups made in the
/// delegated ones (with the shared cgroup inside), fuse2fs volumes.
@Suite("sagebox doctor as a normal user", .serialized)
struct NormalUserDoctorTests {
    @Test func aNormalUserWithDelegatedCgroupsHasEveryProtection() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let result = try user.sagebox("doctor")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = DoctorCommandTests.lines(result.stdout)
        for name in ["user namespace", "cgroups", "shared cgroup", "volumes", "overlayfs", "PID namespace", "network isolation"] {
            #expect(lines[name]?.holds == "ok", "\(name): \(result.stdout)")
        }
        #expect(lines["volumes"]?.reason.contains("fuse2fs") == true, "\(result.stdout)")
        // The shared cgroup is inside the delegated one, not the hierarchy's own sagebox folder.
        let delegated = try #require(user.cgroup.folders.first?.path)
        #expect(lines["cgroups"]?.reason.contains(delegated + "/sagebox") == true, "\(result.stdout)")
    }
}
