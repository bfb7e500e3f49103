import Foundation
import Testing

/// Issue 11's container policies (E4, E7, spec §13) when sagebox runs as a normal user: what the job
/// sees of the host and of the user's other processes, and where it may write.
@Suite("The container as a normal user", .serialized)
struct NormalUserContainerTests {
    /// E7: a host folder outside the image's host paths, `/home`, `/run` and `/root` are absent or empty;
    /// `/etc/shadow` stays, unreadable to the user as on the host (as the README says).
    @Test func theJobSeesItsImagesHostPathsOnlyAndNoneOfTheHostsPrivateFolders() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let outside = URL(filePath: "/mnt/sagebox-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("x".utf8).write(to: outside.appending(path: "data"))
        chown(outside.path, user.uid, user.gid)  // the user's own: only the sandbox hides it
        let script = "ls \(outside.path) 2>/dev/null | wc -l; ls -A /root | grep -vx .pyenv | wc -l; ls -A /home /run | wc -l; "
            + "cat /etc/shadow >/dev/null 2>&1 && echo shadow-read || echo shadow-refused; ls \(user.root.path) 2>/dev/null | wc -l"
        #expect(try user.run(NormalUser.job("host-view", ["/bin/sh", "-c", script])).status == 0)
        // `ls -A` of two empty folders prints their two headers and a blank line.
        #expect(try user.logLines("host-view") == ["0", "0", "3", "shadow-refused", "0"])
    }

    /// E4 with the same uid on both sides: a process of the user's own, outside the job, holding a secret
    /// in its environment, is out of the job's sight (its own PID namespace and /proc).
    @Test func aJobCannotReadTheUsersOtherProcessesThroughProc() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let secret = "sagebox-secret-\(UUID().uuidString.prefix(8))"
        let other = try user.spawn(["/usr/bin/env", "SECRET=\(secret)", "/bin/sleep", "60"])
        defer { NormalUser.stop(other) }
        let script = "cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c \(secret); ls /proc/\(other.processIdentifier)/root 2>/dev/null | wc -l"
        #expect(try user.run(NormalUser.job("read-proc", ["/bin/sh", "-c", script])).status == 0)
        #expect(try user.logLines("read-proc") == ["0", "0"])
        #expect(other.isRunning)
    }

    /// Spec §13 as a normal user: `tar.extractall(".")` in the working directory `/`, and writes to
    /// `/root`, land in the job's own layer; deeper into `/usr` the host's permissions refuse the user, as
    /// the README says. The host never changes, and a second job starts from the image again.
    @Test func aJobWritesItsWorkingDirectoryAndHomeAndTheHostNeverChanges() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let marker = "sbx-\(UUID().uuidString.prefix(8))"
        let extract = """
            import io, os, tarfile
            data = io.BytesIO()
            with tarfile.open(fileobj=data, mode="w:gz") as tar:
                info = tarfile.TarInfo("\(marker)-model"); info.size = 5; tar.addfile(info, io.BytesIO(b"model"))
            data.seek(0)
            tarfile.open(fileobj=data).extractall(".")
            print("cwd", os.getcwd(), open("\(marker)-model").read())
            """
        // The Python script comes as an input: Environment values and entrypoint items hold 256 characters.
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        #expect(try user.sagebox("s3", "cp", try user.file("extract.py", extract), "s3://lab/code/extract.py").status == 0)
        let script = "/usr/bin/python3 /opt/ml/processing/input/code/extract.py && mkdir -p /root/.cache && echo c > /root/.cache/\(marker) && cat /root/.cache/\(marker); "
            + "(echo x > /usr/local/lib/\(marker)) 2>/dev/null && echo usr-written || echo usr-refused"
        let extra = #", "ProcessingInputs": [{"InputName": "code", "S3Input": {"S3Uri": "s3://lab/code/extract.py", "LocalPath": "/opt/ml/processing/input/code", "S3DataType": "S3Prefix", "S3InputMode": "File"}}]"#
        let result = try user.run(NormalUser.job("writable", ["/bin/sh", "-c", script], extra: extra))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try user.logLines("writable") == ["cwd / model", "c", "usr-refused"])
        for path in ["/\(marker)-model", "/root/.cache/\(marker)", "/usr/local/lib/\(marker)"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
        }
        #expect(try user.run(NormalUser.job("again", ["/bin/sh", "-c", "ls /\(marker)-model /root/.cache/\(marker) 2>/dev/null | wc -l"])).status == 0)
        #expect(try user.logLines("again") == ["0"])
    }
}
