import Foundation

/// A freshly formatted, never mounted volume image of one size, made once per root and copied sparsely
/// for every instance: copying the few MiB that mkfs.ext4 writes takes a few milliseconds, where running
/// mkfs.ext4 takes about 40 ms. Each copy is an independent file; nothing the job writes reaches the
/// template.
///
/// The template is made under a unique name and renamed into place, so concurrent runners either copy
/// a complete template or make their own. Its name carries the size, the owner of the volume's root
/// folder and the format version, so a change to any of them makes a new template.
enum VolumeTemplate {
    /// Bumped when the mkfs options change, so older templates are not reused.
    static let formatVersion = 1

    /// The mkfs.ext4 options of every volume: no reserved blocks (the job gets the whole volume), no
    /// journal (a scratch volume need not survive a crash), root folder owned by whoever runs sagebox.
    /// Discard stays on: on a sparse file it punches holes, so mkfs can mark the inode tables zeroed and
    /// the kernel's lazy-init thread never writes them after mount.
    static func mkfsArguments(image: String) -> [String] {
        ["-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "root_owner=\(geteuid()):\(getegid())", image]
    }

    /// Formats `image` (which must exist with its final size) with `mkfs.ext4`.
    static func format(_ image: URL, mkfs: String) throws {
        try ExternalCommand.run(mkfs, mkfsArguments(image: image.path))
    }

    /// Templates kept per root, the least recently used removed first. Most roots use one or two sizes
    /// (30 GB, the default, and the tests' or the labs' own); a size clamped to the free space changes
    /// with it, and must not leave a template per size it ever had.
    static let maxTemplates = 8
    /// A template holding more than this is not kept: its image is formatted in place. mkfs.ext4 writes
    /// about 4 MiB for 30 GiB, 16 MiB for 1 TiB, 230 MiB for 16 TiB (and takes 6 s there).
    static let maxTemplateBytes: UInt64 = 64 << 20

    /// Writes a formatted image of `sizeBytes` at `destination` (which must not exist): a sparse copy of
    /// the template in `folder`, made first if missing (and kept if it holds at most `keepingAtMost` bytes).
    static func copy(sizeBytes: UInt64, in folder: URL, to destination: URL, mkfs: String,
                     keepingAtMost maxBytes: UInt64 = maxTemplateBytes) throws {
        let template = folder.appending(path: "ext4-v\(formatVersion)-\(sizeBytes)-\(geteuid())-\(getegid()).img")
        // Its mtime is its last use, for the eviction order.
        if utimensat(AT_FDCWD, template.path, nil, 0) == 0 {
            do {
                return try SparseFile.copy(template, to: destination)
            } catch let error as SparseFileError where error.operation == "open" && error.code == ENOENT {
                // another runner evicted it meanwhile: make it again
            }
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fresh = folder.appending(path: ".\(template.lastPathComponent).\(UUID().uuidString)")
        do {
            try SparseFile.create(fresh, sizeBytes: sizeBytes)
            try format(fresh, mkfs: mkfs)
            if FolderUsage.allocatedBytes(under: fresh) > maxBytes {
                return try SparseFile.rename(fresh, to: destination)  // too large to keep: it is this volume's image
            }
            try SparseFile.rename(fresh, to: template)
        } catch {
            try? FileManager.default.removeItem(at: fresh)
            throw error
        }
        evict(in: folder)
        try SparseFile.copy(template, to: destination)
    }

    /// Removes the least recently used templates past `maxTemplates`, and what a crashed runner left
    /// while making one (an hour old: no mkfs takes that long).
    static func evict(in folder: URL, now: Date = Date()) {
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        let entries = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys)) ?? []
        var templates: [(name: String, lastUsed: Date)] = []
        for entry in entries {
            let used = (try? entry.resourceValues(forKeys: Set(keys)))?.contentModificationDate ?? .distantPast
            let name = entry.lastPathComponent
            if name.hasPrefix(".ext4-"), now.timeIntervalSince(used) > 3600 {
                try? FileManager.default.removeItem(at: entry)
            } else if name.hasPrefix("ext4-"), name.hasSuffix(".img") {
                templates.append((name, used))
            }
        }
        for name in evictions(templates, keeping: maxTemplates) { try? FileManager.default.removeItem(at: folder.appending(path: name)) }
    }

    /// The templates to remove so that `keeping` remain: the least recently used.
    static func evictions(_ templates: [(name: String, lastUsed: Date)], keeping: Int) -> [String] {
        templates.sorted { ($0.lastUsed, $0.name) > ($1.lastUsed, $1.name) }.dropFirst(keeping).map(\.name)
    }
}
