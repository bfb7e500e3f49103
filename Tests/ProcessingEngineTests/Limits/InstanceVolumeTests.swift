import Foundation
import Testing
@testable import ProcessingEngine

/// VolumeSizeInGB: past the volume's size a write fails with "No space left on device", and the host's
/// disk grows by no more than the volume.
@Suite(.timeLimit(.minutes(1)))
struct InstanceVolumeTests {
    @Test func writingPastTheSizeFailsWithENOSPCAndTheHostDoesNotFill() async throws {
        #expect(InstanceVolume.availabilityProblem() == nil, "this machine runs the tests as root with e2fsprogs")
        let base = URL(fileURLWithPath: "/var/tmp/sagebox-volume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let size: UInt64 = 64 << 20
        let volume = try InstanceVolume.create(
            sizeBytes: size, imageFile: base.appendingPathComponent("volume.img"), mountPoint: base.appendingPathComponent("instance"))
        #expect(!volume.isFull)

        // 100 MiB into a 64 MiB volume, by a real process, as a job would write its outputs.
        let target = volume.mountPoint.appendingPathComponent("opt-ml/output.bin")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let (status, errors) = try Self.run("/bin/dd", ["if=/dev/zero", "of=\(target.path)", "bs=1M", "count=100", "conv=fsync"])
        let written = try FileManager.default.attributesOfItem(atPath: target.path)[.size] as? UInt64 ?? 0
        let imageAllocated = FolderUsage.allocatedBytes(under: volume.imageFile)
        #expect(volume.isMounted())
        #expect(volume.isFull)
        try volume.remove()

        #expect(status != 0)
        #expect(errors.contains("No space left on device"), "\(errors)")
        // ext4's own tables take about 8 % of so small a volume (about 2 % of 1 GiB).
        #expect(written > size * 8 / 10 && written <= size, "the job got most of the volume: \(written)")
        // What the host's disk holds for the volume is the image's allocation (the file system's free space
        // is no measure: other tests write beside this one).
        #expect(imageAllocated <= size, "the image never holds more than the volume's size")
        #expect(!volume.isMounted())
        #expect(!FileManager.default.fileExists(atPath: volume.imageFile.path))
    }

    @Test func volumesCopiedFromOneTemplateAreBoundedAndIndependent() async throws {
        let base = URL(fileURLWithPath: "/var/tmp/sagebox-volume-\(UUID().uuidString)")
        let templates = base.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let size: UInt64 = 64 << 20
        let first = try InstanceVolume.create(sizeBytes: size, imageFile: base.appendingPathComponent("a.img"),
                                              mountPoint: base.appendingPathComponent("a"), templates: templates)
        let second = try InstanceVolume.create(sizeBytes: size, imageFile: base.appendingPathComponent("b.img"),
                                               mountPoint: base.appendingPathComponent("b"), templates: templates)
        let templateFiles = try FileManager.default.contentsOfDirectory(atPath: templates.path)
        #expect(templateFiles.count == 1, "one template per size, made once: \(templateFiles)")
        let template = templates.appendingPathComponent(templateFiles.first ?? "")
        let templateBefore = try Data(contentsOf: template)

        let (status, errors) = try Self.run("/bin/dd", ["if=/dev/zero", "of=\(first.mountPoint.path)/fill", "bs=1M", "count=100", "conv=fsync"])
        try Data("second".utf8).write(to: second.mountPoint.appendingPathComponent("own"))
        #expect(status != 0 && errors.contains("No space left on device"), "\(errors)")
        #expect(first.isFull && !second.isFull)
        #expect(!FileManager.default.fileExists(atPath: second.mountPoint.appendingPathComponent("fill").path))
        #expect(!FileManager.default.fileExists(atPath: first.mountPoint.appendingPathComponent("own").path))
        #expect(!FileManager.default.fileExists(atPath: first.mountPoint.appendingPathComponent("lost+found").path))
        #expect(try Data(contentsOf: template) == templateBefore, "the template is never written through a copy")
        try first.remove()
        try second.remove()
        #expect(!first.isMounted() && !second.isMounted())
        #expect(!FileManager.default.fileExists(atPath: first.imageFile.path))
    }

    @Test func folderUsageCountsWhatFilesHoldOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sagebox-usage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(repeating: 7, count: 3 << 20).write(to: folder.appendingPathComponent("sub/data"))
        try FileManager.default.linkItem(at: folder.appendingPathComponent("sub/data"), to: folder.appendingPathComponent("link"))
        let sparseURL = folder.appendingPathComponent("sparse")
        #expect(FileManager.default.createFile(atPath: sparseURL.path, contents: nil))
        let sparse = try FileHandle(forWritingTo: sparseURL)
        try sparse.truncate(atOffset: 1 << 30)
        try sparse.close()

        let used = FolderUsage.allocatedBytes(under: folder)

        #expect(used >= 3 << 20 && used < 4 << 20, "the data once, the hole not at all: \(used)")
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
