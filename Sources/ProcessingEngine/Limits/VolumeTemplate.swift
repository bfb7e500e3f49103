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

    /// Writes a formatted image of `sizeBytes` at `destination` (which must not exist): a sparse copy of
    /// the template in `folder`, made first if missing.
    static func copy(sizeBytes: UInt64, in folder: URL, to destination: URL, mkfs: String) throws {
        let template = folder.appending(path: "ext4-v\(formatVersion)-\(sizeBytes)-\(geteuid())-\(getegid()).img")
        if !FileManager.default.fileExists(atPath: template.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let fresh = folder.appending(path: ".\(template.lastPathComponent).\(UUID().uuidString)")
            do {
                try SparseFile.create(fresh, sizeBytes: sizeBytes)
                try format(fresh, mkfs: mkfs)
                try SparseFile.rename(fresh, to: template)
            } catch {
                try? FileManager.default.removeItem(at: fresh)
                throw error
            }
        }
        try SparseFile.copy(template, to: destination)
    }
}
