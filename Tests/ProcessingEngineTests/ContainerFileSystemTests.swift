import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// Spec §13 and issue 11's third and fourth policies: the job's file system is writable as a container's
/// (its writes land in its own layer, counted in VolumeSizeInGB, gone with it), and it sees of the host
/// only what its image needs.
@Suite("A container's own file system")
struct ContainerFileSystemTests {
    /// What the check script does, as a processing job's code: untar into the working directory (the
    /// pipeline tutorial's evaluate.py), `pip install --user` a wheel it builds, write site-packages and /root.
    private static let checkScript = #"""
        import io, os, subprocess, sys, sysconfig, tarfile, zipfile
        print("cwd", os.getcwd())
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            data = b"model bytes"
            info = tarfile.TarInfo("xgboost-model"); info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        buffer.seek(0)
        with tarfile.open(fileobj=buffer) as archive:
            archive.extractall(".")
        print("extracted", open("xgboost-model", "rb").read().decode())
        wheel = "/tmp/sbx_probe-1.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("sbx_probe.py", "VALUE = 'from the wheel'\n")
            archive.writestr("sbx_probe-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: sbx-probe\nVersion: 1.0\n")
            archive.writestr("sbx_probe-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
            archive.writestr("sbx_probe-1.0.dist-info/RECORD", "")
        base = getattr(sys, "_base_executable", sys.executable)
        # --break-system-packages: a Debian Python refuses --user installs otherwise (PEP 668); the SDK images do not.
        subprocess.run([base, "-m", "pip", "install", "--quiet", "--user", "--no-index", "--no-deps",
                        "--disable-pip-version-check", "--break-system-packages", wheel], check=True)
        print("wheel", subprocess.run([base, "-c", "import sbx_probe; print(sbx_probe.VALUE)"], cwd="/tmp",
                                      check=True, capture_output=True, text=True).stdout.strip())
        site = sysconfig.get_paths(vars={"base": "/usr/local", "platbase": "/usr/local"})["purelib"]
        os.makedirs(site, exist_ok=True)
        open(os.path.join(site, "sbx_site_probe.py"), "w").write("X = 1\n")
        open(os.path.expanduser("~/probe.txt"), "w").write("home\n")
        print("home", os.path.expanduser("~"), open(os.path.expanduser("~/probe.txt")).read().strip())
        print("site", site)
        """#

    @Test func aJobWritesItsWorkingDirectorySitePackagesAndHomeAndTheHostNeverChanges() throws {
        let fixture = try EngineFixture()
        try fixture.put("code/check.py", Self.checkScript)
        var request = fixture.request("writable", script: "unused",
                                      inputs: [fixture.input("code", uri: "s3://lab/code/check.py", localPath: "/opt/ml/processing/input/code")])
        request.appSpecification?.containerEntrypoint = ["python3", "/opt/ml/processing/input/code/check.py"]
        let job = try fixture.run(request)
        let logs = try fixture.logs("writable")
        #expect(job.status == .completed, "\(job.failureReason ?? "") \(logs)")
        #expect(logs.first == "cwd /")
        #expect(logs.contains("extracted model bytes"))
        #expect(logs.contains("wheel from the wheel"))
        #expect(logs.contains("home /root home"))
        let site = try #require(logs.first { $0.hasPrefix("site ") }).dropFirst("site ".count)
        // Nothing of it on the host.
        for path in ["/xgboost-model", "\(site)/sbx_site_probe.py", "/root/probe.txt", "/tmp/sbx_probe-1.0-py3-none-any.whl"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
        }
        let userSite = ((try? FileManager.default.contentsOfDirectory(atPath: "/root/.local/lib")) ?? []).flatMap { python in
            (try? FileManager.default.contentsOfDirectory(atPath: "/root/.local/lib/\(python)/site-packages")) ?? []
        }
        #expect(!userSite.contains("sbx_probe.py"))

        // A second job starts from the image again.
        let second = try fixture.run(fixture.request(
            "writable-again", script: "ls /xgboost-model /root/probe.txt 2>/dev/null | wc -l; P=$(python3 -c 'import sys; print(sys._base_executable)'); $P -c 'import sbx_probe' 2>/dev/null || echo gone"))
        #expect(second.status == .completed)
        #expect(try fixture.logs("writable-again").map { $0.trimmingCharacters(in: .whitespaces) } == ["0", "gone"])
    }

    @Test func theJobSeesItsImagesHostPathsOnlyAndNoneOfTheHostsPrivateFolders() throws {
        let fixture = try EngineFixture()
        // A host folder outside the image's host paths, as another sagebox root or a user's data would be.
        let outside = URL(filePath: "/mnt/sagebox-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("x".utf8).write(to: outside.appending(path: "data"))
        // /root holds only what the runtime's mounts need there (a pyenv Python's folder, on some machines).
        let script = "ls \(outside.path) 2>/dev/null | wc -l; ls -A /root | grep -vx .pyenv | wc -l; ls -A /home /run | wc -l; "
            + "ls /etc/shadow /etc/gshadow 2>/dev/null | wc -l; ls /usr/bin/env"
        let job = try fixture.run(fixture.request("host-view", script: script))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        // `ls -A` of two empty folders prints their two headers and a blank line.
        #expect(try fixture.logs("host-view").map { $0.trimmingCharacters(in: .whitespaces) } == ["0", "0", "3", "0", "/usr/bin/env"])
    }

    @Test func writesToTheContainersFileSystemCountInVolumeSizeInGB() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("layer-full", script: "head -c 2G /dev/zero > /usr/local/big"))
        #expect(job.status == .failed)
        #expect(job.failureReason == "ClientError: No space left on device. Please use a larger VolumeSizeInGB.")
    }
}
