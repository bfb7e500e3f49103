import Foundation

/// A file system of its own (ext4 in a sparse image, loop-mounted by the test, which runs as root) to
/// hold a normal user's folder and sagebox root: what a job writes past its bounds fills this one, soon,
/// and never the host's disk; its free space, which sizes volumes and the disk floor, is known.
struct BoundedDisk {
    let base: URL
    var mountPoint: URL { base.appending(path: "disk") }

    init(gibibytes: Int) throws {
        base = URL(filePath: "/var/tmp/sagebox-user-disk-\(UUID().uuidString.prefix(8))")
        let image = base.appending(path: "disk.img")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: image.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        try FileHandle(forWritingTo: image).truncate(atOffset: UInt64(gibibytes) << 30)
        for (tool, arguments) in [("/usr/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", image.path]),
                                  ("/usr/bin/mount", ["-o", "loop", image.path, mountPoint.path])] {
            let done = try Sagebox.execute(URL(filePath: tool), arguments)
            guard done.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool): \(done.stderr)"]) }
        }
    }

    /// Unmounts (lazily: a FUSE volume of the user's may be going away) and deletes the image.
    func remove() {
        _ = try? Sagebox.execute(URL(filePath: "/usr/bin/umount"), ["-l", mountPoint.path])
        try? FileManager.default.removeItem(at: base)
    }
}
