import Foundation
import Testing
@testable import ProcessingEngine

/// The pure rules of issue 11's host-disk points: how a volume's size is clamped, which volume templates
/// go, how byte counts read and print.
struct HostDiskRulesTests {
    private static let gib: UInt64 = 1 << 30
    private static let ext4 = (UInt64(4096) << 32) - 4096  // ext4's largest file with 4 KiB blocks

    @Test func ext4sLargestFileClampsVolumeSizeInGB16384To16383() {
        let sizing = VolumeSizing(requestedGigabytes: 16384, instanceCount: 1,
                                  disk: HostDisk(freeBytes: 100_000 * Self.gib, largestFileBytes: Self.ext4), floorBytes: 2 * Self.gib)
        #expect(sizing.gigabytes == 16383)
        #expect(sizing.bytes == 16383 * Self.gib)
        #expect(sizing.note == "VolumeSizeInGB 16384 is more than this machine can hold: each instance's volume is 16383 GB (the host's file system holds no file over 16383 GB, and each volume is one file)")
    }

    @Test func theFreeSpaceAboveTheFloorIsSharedByTheInstances() {
        let disk = HostDisk(freeBytes: 70 * Self.gib + 123, largestFileBytes: Self.ext4)
        let one = VolumeSizing(requestedGigabytes: 16384, instanceCount: 1, disk: disk, floorBytes: 2 * Self.gib)
        #expect(one.gigabytes == 68)
        #expect(one.note == "VolumeSizeInGB 16384 is more than this machine can hold: each instance's volume is 68 GB (the host's free disk space, 70 GiB, above the 2 GiB floor, shared by 1 instance(s))")
        #expect(VolumeSizing(requestedGigabytes: 100, instanceCount: 3, disk: disk, floorBytes: 2 * Self.gib).gigabytes == 22)
    }

    @Test func aSizeTheMachineHoldsIsKeptAndNeverGoesUnder1GB() {
        let disk = HostDisk(freeBytes: 70 * Self.gib, largestFileBytes: Self.ext4)
        let kept = VolumeSizing(requestedGigabytes: 30, instanceCount: 2, disk: disk, floorBytes: 2 * Self.gib)
        #expect(kept == VolumeSizing(requestedGigabytes: 30, instanceCount: 2, disk: nil, floorBytes: 0))
        #expect(kept.gigabytes == 30 && kept.note == nil)
        // Under the floor already: the smallest volume, and the floor watcher stops the job.
        let starved = VolumeSizing(requestedGigabytes: 30, instanceCount: 1, disk: HostDisk(freeBytes: Self.gib, largestFileBytes: nil),
                                   floorBytes: 2 * Self.gib)
        #expect(starved.gigabytes == 1)
        #expect(starved.note?.contains("each instance's volume is 1 GB") == true)
        // XFS and btrfs hold files far past any volume: only the free space counts.
        let xfs = VolumeSizing(requestedGigabytes: 16384, instanceCount: 1, disk: HostDisk(freeBytes: 50_000 * Self.gib, largestFileBytes: nil),
                               floorBytes: 0)
        #expect(xfs.gigabytes == 16384 && xfs.note == nil)
    }

    @Test func theLeastRecentlyUsedTemplatesGo() {
        let now = Date()
        let templates = (0..<11).map { ("ext4-\($0).img", now.addingTimeInterval(Double(-$0 * 60))) }
        #expect(VolumeTemplate.evictions(templates.shuffled(), keeping: 8) == ["ext4-8.img", "ext4-9.img", "ext4-10.img"])
        #expect(VolumeTemplate.evictions(templates, keeping: 11).isEmpty)
    }

    @Test(arguments: [("2GiB", UInt64(2) << 30), ("2G", 2 << 30), ("512 MiB", 512 << 20), ("1.5g", 3 << 29), ("4096", 4096),
                      ("10kb", 10 << 10), ("0", 0)])
    func byteCountsRead(text: String, bytes: UInt64) {
        #expect(ByteCount(parsing: text)?.bytes == bytes)
    }

    @Test func byteCountsRefuseWhatIsNoCount() {
        for text in ["", "-1G", "two", "1X", "GiB", "99999999T"] { #expect(ByteCount(parsing: text) == nil, "\(text)") }
    }

    @Test func byteCountsPrintInTheirLargestUnit() {
        #expect("\(ByteCount(bytes: 2 << 30))" == "2 GiB")
        #expect("\(ByteCount(bytes: 3 << 29))" == "1.5 GiB")
        #expect("\(ByteCount(bytes: 100 << 40))" == "100 TiB")
        #expect("\(ByteCount(bytes: 1023))" == "1023 bytes")
    }

    @Test func theLargestFileIsAskedOfTheFileSystemItself() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "sagebox-largest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // These machines keep /tmp on ext4 (4 KiB blocks): 16 TiB less a block is its largest file.
        #expect(HostDisk.largestFile(in: folder, upTo: 16384 << 30) == 16383 << 30)
        #expect(HostDisk.largestFile(in: folder, upTo: 30 << 30) == nil)
        let disk = try #require(HostDisk.of(folder, forFilesOf: 1 << 30))
        #expect(disk.freeBytes > 0 && disk.largestFileBytes == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "the scratch file is gone")
    }
}
