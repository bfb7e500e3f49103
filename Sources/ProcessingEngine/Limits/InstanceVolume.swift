import Foundation

/// An instance's volume of `VolumeSizeInGB`: a sparse file of exactly that size, formatted ext4 and
/// mounted on a folder: loop-mounted by root, through FUSE (`fuse2fs`) for a normal user. Whatever is
/// written under the folder lands in the file system of that size, so past it a write fails with ENOSPC
/// ("No space left on device") inside the job, as on an instance's EBS volume, and the host's disk grows
/// by at most the volume's size.
///
/// Trade-offs, and why this one:
/// - Root mounts it with a loop device; e2fsprogs' `mkfs.ext4` formats it; `availabilityProblem()` says
///   what is missing. A normal user cannot mount a disk file system even in a user namespace, but may
///   mount the same image through FUSE (`fuse2fs`, with the setuid `fusermount`): slower (about
///   100 MB/s here), and overlayfs cannot use it as an upper layer (no d_type, tmpfile or whiteouts), so
///   a FUSE volume does not hold the overlays (`holdsOverlays`). Rejected alternatives for a normal
///   user: a size-limited tmpfs (counts against RAM, and only inside the launcher's namespace, so the
///   engine could not stage into it), or a watchdog polling `FolderUsage.allocatedBytes(under:)` and
///   stopping the job (the job sees no ENOSPC, and a fast writer overshoots between two polls).
///   Quotas (project quotas on ext4/xfs) need root too.
/// - ext4 keeps some space for itself (inode tables, about 2 % of a small volume); 0 % is reserved
///   for root and there is no journal (a scratch volume need not survive a crash), so a job gets
///   nearly all of `sizeBytes`.
/// - The overlay's lower folder (hard links into the fake S3) cannot move here: hard links do not
///   cross file systems. The job's /opt/ml folder, the overlay's upper and work folders and its /tmp
///   belong on the volume; inputs staged through the lower layer are not counted unless the job
///   changes them (copy-up), so the engine should create the volume with the size minus the staged
///   inputs' bytes (and fail with the volume text when the inputs alone exceed it).
/// - A crash of sagebox leaves the volume mounted; `remove()` on a later start (or `umount`) clears it.
public struct InstanceVolume: Sendable {
    /// How the image is mounted.
    public enum Mounting: Sendable {
        /// A loop device (root).
        case loop
        /// `fuse2fs` (a normal user).
        case fuse
    }

    public let mountPoint: URL
    public let imageFile: URL
    public let sizeBytes: UInt64
    public let mounting: Mounting

    /// Whether overlayfs can keep its upper and work layers on this volume.
    public var holdsOverlays: Bool { mounting == .loop }

    /// VolumeSizeInGB in bytes (AWS's GB here are GiB).
    public static func bytes(gigabytes: Int) -> UInt64 { UInt64(gigabytes) << 30 }

    private static let mkfs = ["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4", "/usr/bin/mkfs.ext4"]
    private static let mount = ["/usr/bin/mount", "/bin/mount", "/usr/sbin/mount"]
    private static let umount = ["/usr/bin/umount", "/bin/umount", "/usr/sbin/umount"]
    private static let fuse2fs = ["/usr/bin/fuse2fs", "/usr/sbin/fuse2fs", "/sbin/fuse2fs"]
    private static let fusermount = ["/usr/bin/fusermount", "/bin/fusermount"]

    /// How this process mounts volumes: root with a loop device, a normal user through FUSE.
    static var mounting: Mounting { geteuid() == 0 ? .loop : .fuse }

    /// Why a volume cannot be made here, or nil when it can.
    public static func availabilityProblem() -> ResourceLimitError? {
        if ExternalCommand.find(mkfs) == nil { return ResourceLimitError("VolumeSizeInGB not enforced: mkfs.ext4 (e2fsprogs) is not installed") }
        if mounting == .fuse {
            if ExternalCommand.find(fuse2fs) == nil || ExternalCommand.find(fusermount) == nil {
                return ResourceLimitError("VolumeSizeInGB not enforced: a normal user mounts volumes with fuse2fs and fusermount, which are not installed")
            }
            if access("/dev/fuse", R_OK | W_OK) != 0 {
                return ResourceLimitError("VolumeSizeInGB not enforced: /dev/fuse is not usable by this user")
            }
            return nil
        }
        if ExternalCommand.find(mount) == nil || ExternalCommand.find(umount) == nil {
            return ResourceLimitError("VolumeSizeInGB not enforced: mount or umount is not installed")
        }
        if !FileManager.default.fileExists(atPath: "/dev/loop-control") {
            return ResourceLimitError("VolumeSizeInGB not enforced: this kernel offers no loop devices")
        }
        return nil
    }

    /// Makes the image (sparse: it takes no disk space until written) and mounts it on `mountPoint`,
    /// which is created if missing and must be empty. `imageFile` must not be under `mountPoint`.
    /// With `templates`, the image is a sparse copy of a formatted template of the same size kept in
    /// that folder (made on first use), not a fresh mkfs.ext4: the same file system, 40 ms sooner.
    public static func create(sizeBytes: UInt64, imageFile: URL, mountPoint: URL, templates: URL? = nil) throws -> InstanceVolume {
        if let problem = availabilityProblem() { throw problem }
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let volume = InstanceVolume(mountPoint: mountPoint, imageFile: imageFile, sizeBytes: sizeBytes, mounting: mounting)
        let mkfs = ExternalCommand.find(mkfs)!
        _ = unlink(imageFile.path)  // what a crashed runner may have left
        do {
            if let templates {
                try VolumeTemplate.copy(sizeBytes: sizeBytes, in: templates, to: imageFile, mkfs: mkfs)
            } else {
                try SparseFile.create(imageFile, sizeBytes: sizeBytes)
                try VolumeTemplate.format(imageFile, mkfs: mkfs)
            }
            try volume.attach()
            _ = rmdir(mountPoint.appendingPathComponent("lost+found").path)
            return volume
        } catch {
            try? FileManager.default.removeItem(at: imageFile)
            throw error
        }
    }

    private func attach() throws {
        switch mounting {
        case .loop:
            if (try? LoopMount.mount(imageFile, on: mountPoint)) != nil { return }
            // mount(8) attaches a loop device with autoclear, so umount also frees the device.
            try ExternalCommand.run(ExternalCommand.find(Self.mount)!,
                                    ["-t", "ext4", "-o", "loop,nodev,nosuid", imageFile.path, mountPoint.path])
        case .fuse:
            // fakeroot: the job, root in its user namespace, owns what it writes as far as fuse2fs cares.
            // fuse2fs exits 0 even when the mount fails: check.
            try ExternalCommand.run(ExternalCommand.find(Self.fuse2fs)!, [imageFile.path, mountPoint.path, "-o", "fakeroot"])
            guard isMounted() else { throw ResourceLimitError("fuse2fs could not mount \(imageFile.path) on \(mountPoint.path)") }
        }
    }

    /// Unmounts the volume (lazily when a process still holds it) and deletes its image.
    public func remove() throws {
        if isMounted() { try detach() }
        try? FileManager.default.removeItem(at: imageFile)
    }

    /// A loop volume by system call (umount(8) where that fails), a FUSE one with fusermount; lazily when
    /// the plain unmount is refused.
    private func detach() throws {
        let (tool, unmount, lazily): (String, [String], [String])
        switch mounting {
        case .loop:
            if (try? LoopMount.unmount(mountPoint)) != nil { return }
            (tool, unmount, lazily) = (ExternalCommand.find(Self.umount)!, [], ["-l"])
        case .fuse:
            (tool, unmount, lazily) = (ExternalCommand.find(Self.fusermount)!, ["-u"], ["-u", "-z"])
        }
        do {
            try ExternalCommand.run(tool, unmount + [mountPoint.path])
        } catch {
            try ExternalCommand.run(tool, lazily + [mountPoint.path])
        }
    }

    /// Bytes still free on the volume. A job that failed while this is under a few blocks most
    /// likely failed for space: the engine then reports the volume text.
    public func freeBytes() -> UInt64 {
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: mountPoint.path)
        return (attributes?[.systemFreeSize] as? NSNumber)?.uint64Value ?? 0
    }

    /// Whether the volume is full (less than 1 MiB free).
    public var isFull: Bool { freeBytes() < 1 << 20 }

    /// Whether `mountPoint` is a mount point: its device differs from its parent's.
    public func isMounted() -> Bool {
        var folder = stat(), parent = stat()
        guard stat(mountPoint.path, &folder) == 0, stat(mountPoint.deletingLastPathComponent().path, &parent) == 0 else { return false }
        return folder.st_dev != parent.st_dev
    }
}
