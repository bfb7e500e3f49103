import Foundation
import Testing

/// Issue 11's disk bounds (C3–C5) when sagebox runs as a normal user, on fuse2fs volumes: sparse outputs
/// past the volume are refused unread, a VolumeSizeInGB too large for the disk is clamped, the disk
/// floor stops a job (also one filling its container layer, which a normal user's volume does not hold),
/// and volume templates are capped. The tests that could fill a disk run on a `BoundedDisk`.
@Suite("Disk bounds as a normal user", .serialized, .timeLimit(.minutes(3)))
struct NormalUserDiskTests {
    private static let out = "/opt/ml/processing/out"

    /// Runs `body` as a normal user whose folder and sagebox root are on a bounded disk of `gibibytes`.
    private static func onABoundedDisk(gibibytes: Int = 6, _ body: (NormalUser) throws -> Void) throws {
        let disk = try BoundedDisk(gibibytes: gibibytes)
        defer { disk.remove() }
        let user = try NormalUser(base: disk.mountPoint)
        defer { user.remove() }
        #expect(try user.sagebox("s3", "mb", "s3://lab").status == 0)
        try body(user)
    }

    /// 1 MiB of data stretched by truncate to 2 GiB or 100 GiB, of which the 1 GB volume holds 1 MiB.
    @Test(arguments: ["2G", "100G"])
    func anEndOfJobSparseFileLargerThanTheVolumeIsRefusedUnread(size: String) throws {
        let script = "echo small > \(Self.out)/a.txt; head -c 1M /dev/urandom > \(Self.out)/sparse.bin; truncate -s \(size) \(Self.out)/sparse.bin"
        try Self.expectRefused(script, NormalUser.output("s3://lab/out/", Self.out),
                               "ClientError: Output file \(Self.out)/sparse.bin of algo-1 (\(size.dropLast()) GiB, 1 MiB of it on disk) brings that instance's outputs to \(size.dropLast()) GiB, more than its 1 GiB volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte. Nothing was uploaded.")
    }

    @Test func aContinuousSparseFileLargerThanTheVolumeIsRefusedUnread() throws {
        // Sparse from its first close, so that no smaller version of it is uploaded first.
        try Self.expectRefused("truncate -s 100G \(Self.out)/sparse.bin; sleep 0.2", NormalUser.output("s3://lab/c/", Self.out, mode: "Continuous"),
                               "ClientError: Failed to upload output file sparse.bin to s3://lab/c/sparse.bin: it is 100 GiB, more than the instance's 1 GiB volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte")
    }

    /// Runs `script` with `output` on a bounded disk: the job fails with `reason`, nothing reaches the
    /// fake S3, and the sparse file was never inflated on the disk.
    private static func expectRefused(_ script: String, _ output: String, _ reason: String) throws {
        try onABoundedDisk { user in
            _ = try user.run(NormalUser.job("sparse", ["/bin/sh", "-c", script], extra: output))
            let job = try user.describe("sparse")
            #expect(job["ProcessingJobStatus"] as? String == "Failed")
            #expect(job["FailureReason"] as? String == reason)
            #expect(try user.sagebox("s3", "ls", "--recursive", "s3://lab/").stdout.isEmpty)
            #expect(try user.allocatedKiB() < 256 << 10)
        }
    }

    /// On a 6 GiB disk, 16384 GB is clamped to the free space above the 2 GiB floor: the fuse2fs volume
    /// the job sees has that size, and the timeline says why.
    @Test func volumeSizeInGB16384RunsOnAClampedVolumeAndTheTimelineSaysSo() throws {
        try Self.onABoundedDisk { user in
            let result = try user.run(NormalUser.job("huge-volume", ["/bin/sh", "-c", "df -B1 --output=size,target /opt/ml | tail -1"], volumeGB: 16384))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let timeline = try user.timeline("huge-volume")
            #expect(!timeline.contains("not enforced"), "\(timeline)")
            let prefix = "VolumeSizeInGB 16384 is more than this machine can hold: each instance's volume is "
            let note = try #require(timeline.split(separator: "\n").first { $0.contains(prefix) }, "\(timeline)")
            #expect(note.contains("GB (the host's free disk space"), "\(note)")
            let gigabytes = try #require(note.components(separatedBy: prefix).last?.split(separator: " ").first.flatMap { UInt64($0) })
            #expect(gigabytes >= 1 && gigabytes <= 4, "\(note)")
            let fields = try user.logLines("huge-volume").joined().split(separator: " ")
            let size = try #require(fields.first.flatMap { UInt64($0) })
            #expect(fields.last == "/opt/ml")
            #expect(size <= gigabytes << 30 && size > (gigabytes << 30) * 9 / 10, "\(size) bytes")
        }
    }

    /// A floor above the free space: the watcher finds the disk under it without anything filling it.
    @Test func aJobStopsWithAClientErrorWhenTheHostsFreeSpaceFallsUnderTheFloor() throws {
        let user = try NormalUser()
        defer { user.remove() }
        // It exits 0 on SIGTERM: cut short, it still ends Failed.
        let request = NormalUser.job("floor", ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 20 & wait"])
        _ = try user.run(request, "--disk-floor", "100T", "--stop-grace", "5")
        let job = try user.describe("floor")
        #expect(job["ProcessingJobStatus"] as? String == "Failed")
        #expect(job["FailureReason"] as? String == "ClientError: The host's free disk space fell below 100 TiB (sagebox's --disk-floor): the job was stopped before the disk filled. Free space on the host, or lower --disk-floor.")
        let timeline = try user.timeline("floor")
        #expect(timeline.contains("The host's free disk space fell below 100 TiB: stopping"), "\(timeline)")
        #expect(timeline.contains("algo-1 exited with code 0"), "\(timeline)")
    }

    /// A normal user's volume cannot hold the job's container layer (overlayfs needs a real upper file
    /// system), so what the job writes to `/root` lands beside it, outside VolumeSizeInGB, as the README
    /// says: the disk floor is what bounds it. On a 5 GiB disk, 3.5 GiB written there crosses the default
    /// 2 GiB floor and the job is stopped, Failed, with the disk never full.
    @Test func aJobFillingItsContainerLayerIsStoppedAtTheDiskFloor() throws {
        try Self.onABoundedDisk(gibibytes: 5) { user in
            let script = "head -c 3500M /dev/zero > /root/fill; echo wrote $?; sleep 30"
            _ = try user.run(NormalUser.job("layer-fill", ["/bin/sh", "-c", script]), "--stop-grace", "2")
            let job = try user.describe("layer-fill")
            #expect(job["ProcessingJobStatus"] as? String == "Failed")
            #expect(job["FailureReason"] as? String == "ClientError: The host's free disk space fell below 2 GiB (sagebox's --disk-floor): the job was stopped before the disk filled. Free space on the host, or lower --disk-floor.")
            let doctor = try user.sagebox("doctor").stdout
            let volumes = try #require(doctor.split(separator: "\n").first { $0.contains("volumes") })
            #expect(volumes.contains("the container layer is not counted in VolumeSizeInGB"), "\(volumes)")
        }
    }

    /// Ten distinct volume sizes: the root keeps the 8 most recently used templates, none of over 64 MiB.
    @Test func volumeTemplatesAreCappedInNumberAndSize() throws {
        let user = try NormalUser()
        defer { user.remove() }
        for gigabytes in 1...10 {
            let result = try user.run(NormalUser.job("size-\(gigabytes)", ["/bin/true"], volumeGB: gigabytes))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
        let templates = user.root.appending(path: "tmp/volume-templates")
        let kept = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { !$0.hasPrefix(".") }
        #expect(kept.count == 8, "\(kept.sorted())")
        let du = try Sagebox.execute(URL(filePath: "/usr/bin/du"), ["-sk"] + kept.map { templates.appending(path: $0).path })
        for line in du.stdout.split(separator: "\n") {
            #expect((Int(line.split(separator: "\t").first ?? "") ?? .max) <= 64 << 10, "\(line)")
        }
    }
}
