import Foundation
import Testing
@testable import ProcessingEngine

/// Issue 11: a root keeps at most `VolumeTemplate.maxTemplates` formatted templates, the least recently
/// used removed, and none that holds much of the disk.
@Suite(.timeLimit(.minutes(1)))
final class VolumeTemplateCapTests {
    /// A scratch folder per test (volumes must not be on tmpfs), its templates in `templates`.
    private let base = URL(fileURLWithPath: "/var/tmp/sagebox-templates-\(UUID().uuidString)")
    private var templates: URL { base.appendingPathComponent("templates") }

    init() throws { try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(at: base) }

    @Test func everyNewSizeEvictsTheLeastRecentlyUsedTemplatePastTheCap() throws {
        // What a crashed runner left while making a template: removed once an hour old, kept before.
        let stale = templates.appendingPathComponent(".ext4-v1-1-0-0.img.crashed")
        let recent = templates.appendingPathComponent(".ext4-v1-2-0-0.img.making")
        for file in [stale, recent] { #expect(FileManager.default.createFile(atPath: file.path, contents: nil)) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: stale.path)

        let sizes = (0..<(VolumeTemplate.maxTemplates + 2)).map { UInt64(16 + $0) << 20 }
        for (index, size) in sizes.enumerated() {
            // The first size is used again just before the cap is reached: it is recent, the second is not.
            let order = index == VolumeTemplate.maxTemplates - 1 ? [size, sizes[0]] : [size]
            for used in order {
                let volume = try InstanceVolume.create(sizeBytes: used, imageFile: base.appendingPathComponent("v.img"),
                                                       mountPoint: base.appendingPathComponent("v"), templates: templates)
                #expect(volume.isMounted())
                try volume.remove()
            }
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { !$0.hasPrefix(".") }
        #expect(kept.count == VolumeTemplate.maxTemplates, "\(kept.sorted())")
        let keptSizes = Set(kept.compactMap { name in name.split(separator: "-").dropFirst(2).first.flatMap { UInt64($0) } })
        #expect(keptSizes == Set([sizes[0]] + sizes.dropFirst(3)), "the first size was used again; the 2nd and 3rd are the least recent")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: recent.path))
        for name in kept {
            #expect(FolderUsage.allocatedBytes(under: templates.appendingPathComponent(name)) <= VolumeTemplate.maxTemplateBytes)
        }
    }

    @Test func aTemplateHoldingMoreThanTheCapIsNotKeptButStillFormatsTheVolume() throws {
        let image = base.appendingPathComponent("v.img")
        let mkfs = try #require(["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"].first { FileManager.default.isExecutableFile(atPath: $0) })

        try VolumeTemplate.copy(sizeBytes: 32 << 20, in: templates, to: image, mkfs: mkfs, keepingAtMost: 4096)

        #expect(try FileManager.default.contentsOfDirectory(atPath: templates.path).isEmpty)
        let header = try FileHandle(forReadingFrom: image)
        defer { try? header.close() }
        try header.seek(toOffset: 1080)  // the ext superblock's magic number, little-endian 0xEF53
        #expect(try header.read(upToCount: 2) == Data([0x53, 0xEF]))
        #expect(try FileManager.default.attributesOfItem(atPath: image.path)[.size] as? UInt64 == 32 << 20)
    }
}
