import FakeS3
import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// Issue 11, "the host is never exhausted": sparse outputs are refused past the volume or kept sparse,
/// a VolumeSizeInGB too large for the machine is clamped, a job stops before the host's disk is full.
/// Real jobs; nothing here fills the disk.
@Suite(.timeLimit(.minutes(1)))
struct HostDiskTests {
    private static let out = "/opt/ml/processing/out"

    /// 1 MiB of data stretched to `size` by truncate: 2 GiB or 100 GiB of which the 1 GB volume holds 1 MiB.
    @Test(arguments: ["2G", "100G"])
    func anEndOfJobSparseFileLargerThanTheVolumeIsRefusedUnread(size: String) throws {
        try Self.onABoundedDisk { fixture in
            let script = "echo small > \(Self.out)/a.txt; head -c 1M /dev/urandom > \(Self.out)/sparse.bin; truncate -s \(size) \(Self.out)/sparse.bin"
            let job = try fixture.run(fixture.request("sparse-\(size)", script: script,
                                                      outputs: [fixture.output("out", uri: "s3://lab/out/", localPath: Self.out)]))
            #expect(job.status == .failed)
            #expect(job.failureReason == "ClientError: Output file \(Self.out)/sparse.bin of algo-1 (\(size.dropLast()) GiB, 1 MiB of it on disk) brings that instance's outputs to \(size.dropLast()) GiB, more than its 1 GiB volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte. Nothing was uploaded.")
            #expect(throws: S3Error.self) { try fixture.root.s3.headObject(bucket: "lab", key: "out/a.txt") }
            #expect(throws: S3Error.self) { try fixture.root.s3.headObject(bucket: "lab", key: "out/sparse.bin") }
            #expect(FolderUsage.allocatedBytes(under: fixture.root.url) < 256 << 20)
        }
    }

    @Test func aContinuousSparseFileLargerThanTheVolumeIsRefusedUnread() throws {
        try Self.onABoundedDisk { fixture in
            // Sparse from its first close, so that no smaller version of it is uploaded first.
            let script = "truncate -s 100G \(Self.out)/sparse.bin; sleep 0.2"
            let job = try fixture.run(fixture.request("sparse-continuous", script: script, outputs: [Self.continuous(fixture.output("out", uri: "s3://lab/c/", localPath: Self.out))]))
            #expect(job.status == .failed)
            #expect(job.failureReason == "ClientError: Failed to upload output file sparse.bin to s3://lab/c/sparse.bin: it is 100 GiB, more than the instance's 1 GiB volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte")
            #expect(throws: S3Error.self) { try fixture.root.s3.headObject(bucket: "lab", key: "c/sparse.bin") }
            #expect(FolderUsage.allocatedBytes(under: fixture.root.url) < 256 << 20)
        }
    }

    /// A sparse file the volume could hold is uploaded whole as S3 sees it, and as sparse on the host's disk.
    @Test(arguments: ["EndOfJob", "Continuous"])
    func aSparseFileWithinTheVolumeIsUploadedKeepingItsHoles(mode: String) throws {
        let fixture = try EngineFixture()
        let script = "printf hello-sparse > \(Self.out)/s.bin; truncate -s 256M \(Self.out)/s.bin"
        var output = fixture.output("out", uri: "s3://lab/s/", localPath: Self.out)
        if mode == "Continuous" { output = Self.continuous(output) }
        let job = try fixture.run(fixture.request("sparse-kept", script: script, outputs: [output]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        let object = try fixture.root.s3.getObject(bucket: "lab", key: "s/s.bin")
        #expect(object.object.size == 256 << 20)
        #expect(FolderUsage.allocatedBytes(under: object.url) < 1 << 20, "the holes stayed holes")
        let handle = try FileHandle(forReadingFrom: object.url)
        defer { try? handle.close() }
        #expect(try handle.read(upToCount: 12) == Data("hello-sparse".utf8))
        try handle.seek(toOffset: (256 << 20) - 1)
        #expect(try handle.read(upToCount: 1) == Data([0]))
    }

    @Test func volumeSizeInGB16384RunsOnAClampedVolumeAndTheTimelineSaysSo() throws {
        let fixture = try EngineFixture()
        let free = try #require(HostDisk.freeBytes(at: fixture.root.url))
        var request = fixture.request("huge-volume", script: "df -B1 --output=size,target /opt/ml | tail -1")
        request.processingResources?.clusterConfig?.volumeSizeInGB = 16384
        let job = try fixture.run(request)
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        let events = try fixture.root.jobs.events(jobId: job.id!).map(\.message)
        #expect(!events.contains { $0.contains("not enforced") }, "\(events)")
        let note = try #require(events.first { $0.hasPrefix("VolumeSizeInGB 16384 is more than this machine can hold: each instance's volume is ") })
        let gigabytes = try #require(UInt64(note.split(separator: " ")[13]))
        #expect(gigabytes << 30 <= free && gigabytes < 16384, "\(note)")
        // The job's /opt/ml is on a volume of that size (ext4 keeps a little for itself), not on the host's disk.
        let fields = try fixture.logs("huge-volume").joined().split(separator: " ")
        let size = try #require(fields.first.flatMap { UInt64($0) })
        #expect(fields.last == "/opt/ml")
        #expect(size <= gigabytes << 30 && size > (gigabytes << 30) * 9 / 10, "\(size) bytes")
    }

    /// A volume clamped to the free space fills as any other, and the FailureReason does not ask for a
    /// larger VolumeSizeInGB. The root is on a 2 GiB file system of its own, so the clamp is known.
    @Test func aClampedVolumeThatFillsSaysThatTheHostIsShortOfSpace() throws {
        try Self.onABoundedDisk(gibibytes: 2) { fixture in
            var settings = RunnerSettings(launcher: RunnerSettings.findLauncher(), pythonEnvironment: nil)
            settings.diskFloorBytes = 0
            var request = fixture.request("clamped-full", script: "head -c 2G /dev/zero > /tmp/big")
            request.processingResources?.clusterConfig?.volumeSizeInGB = 16384
            _ = try fixture.service.createProcessingJob(request)
            let job = try JobRunner(root: fixture.root, settings: settings).run(jobNamed: "clamped-full")
            #expect(job.status == .failed)
            #expect(job.failureReason == "ClientError: No space left on device. This machine could give each instance only 1 GB of the VolumeSizeInGB asked (see the job's events): please free disk space on the host.")
            let events = try fixture.root.jobs.events(jobId: job.id!).map(\.message)
            #expect(events.contains { $0.hasPrefix("VolumeSizeInGB 16384 is more than this machine can hold: each instance's volume is 1 GB (the host's free disk space") }, "\(events)")
        }
    }

    @Test func aJobStopsWithAClientErrorWhenTheHostsFreeSpaceFallsUnderTheFloor() throws {
        let fixture = try EngineFixture()
        // A floor above the free space: the watcher finds the disk "under" it without anything filling it.
        let free = try #require(HostDisk.freeBytes(at: fixture.root.url))
        var settings = RunnerSettings(launcher: RunnerSettings.findLauncher(), pythonEnvironment: nil)
        settings.diskFloorBytes = free + (64 << 30)
        settings.stopGrace = 5
        // It exits 0 on SIGTERM: cut short, it still ends Failed.
        let request = fixture.request("floor", script: "trap 'exit 0' TERM; sleep 20 & wait")
        _ = try fixture.service.createProcessingJob(request)
        let job = try JobRunner(root: fixture.root, settings: settings).run(jobNamed: "floor")
        #expect(job.status == .failed)
        #expect(job.failureReason == "ClientError: The host's free disk space fell below \(ByteCount(bytes: settings.diskFloorBytes)) (sagebox's --disk-floor): the job was stopped before the disk filled. Free space on the host, or lower --disk-floor.")
        let events = try fixture.root.jobs.events(jobId: job.id!).map(\.message)
        #expect(events.contains("The host's free disk space fell below \(ByteCount(bytes: settings.diskFloorBytes)): stopping"), "\(events)")
        #expect(events.contains("algo-1 exited with code 0"), "\(events)")
    }

    /// Runs `body` on a fixture whose root is on a file system of its own, 6 GiB: should the upload inflate
    /// a 100 GiB sparse file (as sagebox once did), it fills that one, soon, and not the host's disk.
    private static func onABoundedDisk(gibibytes: UInt64 = 6, _ body: (EngineFixture) throws -> Void) throws {
        let base = URL(fileURLWithPath: "/var/tmp/sagebox-bounded-\(UUID().uuidString)")
        let disk = try InstanceVolume.create(sizeBytes: gibibytes << 30, imageFile: base.appending(path: "root.img"), mountPoint: base.appending(path: "root"))
        defer {
            try? disk.remove()
            try? FileManager.default.removeItem(at: base)
        }
        try body(try EngineFixture(rootURL: disk.mountPoint.appending(path: "sagebox")))
    }

    private static func continuous(_ output: ProcessingOutput) -> ProcessingOutput {
        var output = output
        output.s3Output?.s3UploadMode = "Continuous"
        return output
    }
}
