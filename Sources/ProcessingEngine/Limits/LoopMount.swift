import Foundation

/// Mounts an ext4 image on a folder through a loop device with system calls (root only): about 1 ms
/// where mount(8) and umount(8) take 40 to 80 ms each (a process, libmount, blkid probing).
/// `InstanceVolume` falls back to mount(8) when any step here fails (an older kernel without
/// LOOP_CONFIGURE, for one).
enum LoopMount {
    private static let getFree: UInt = 0x4C82      // LOOP_CTL_GET_FREE
    private static let configure: UInt = 0x4C0A    // LOOP_CONFIGURE (Linux 5.8)
    private static let autoclear: UInt32 = 4       // LO_FLAGS_AUTOCLEAR
    /// struct loop_config: fd (u32), block_size (u32), struct loop_info64 (232 bytes), 8 reserved u64.
    private static let configSize = 304
    private static let flagsOffset = 8 + 52        // loop_info64.lo_flags
    private static let fileNameOffset = 8 + 56     // loop_info64.lo_file_name[64]

    /// Attaches `image` to a free loop device that frees itself when unmounted (autoclear), and mounts
    /// it on `mountPoint` with nodev,nosuid, as `mount -o loop,nodev,nosuid` would.
    static func mount(_ image: URL, on mountPoint: URL) throws {
        let control = open("/dev/loop-control", O_RDWR | O_CLOEXEC)
        guard control >= 0 else { throw failure("open /dev/loop-control", errno) }
        defer { close(control) }
        let file = open(image.path, O_RDWR | O_CLOEXEC)
        guard file >= 0 else { throw failure("open \(image.path)", errno) }
        defer { close(file) }
        // Another process may take the free device between the two calls: try the next one.
        for _ in 0..<8 {
            let number = ioctl(control, getFree)
            guard number >= 0 else { throw failure("LOOP_CTL_GET_FREE", errno) }
            let device = "/dev/loop\(number)"
            let loop = open(device, O_RDWR | O_CLOEXEC)
            guard loop >= 0 else { throw failure("open \(device)", errno) }
            // Closing the device after the mount is safe: autoclear detaches it at the unmount.
            defer { close(loop) }
            var config = [UInt8](repeating: 0, count: configSize)
            let configured = config.withUnsafeMutableBytes { bytes in
                bytes.storeBytes(of: UInt32(file), toByteOffset: 0, as: UInt32.self)
                bytes.storeBytes(of: autoclear, toByteOffset: flagsOffset, as: UInt32.self)
                for (index, byte) in image.path.utf8.prefix(63).enumerated() {
                    bytes.storeBytes(of: byte, toByteOffset: fileNameOffset + index, as: UInt8.self)
                }
                return ioctl(loop, configure, bytes.baseAddress!)
            }
            if configured != 0 {
                if errno == EBUSY { continue }
                throw failure("LOOP_CONFIGURE \(device)", errno)
            }
            let flags = UInt(MS_NODEV) | UInt(MS_NOSUID)
            guard Glibc.mount(device, mountPoint.path, "ext4", flags, nil) == 0 else {
                throw failure("mount \(device) on \(mountPoint.path)", errno)
            }
            return
        }
        throw ResourceLimitError("no free loop device for \(image.path)")
    }

    /// Unmounts `mountPoint`; lazily (detached now, released when its last user goes) when a process
    /// still holds it.
    static func unmount(_ mountPoint: URL) throws {
        if umount2(mountPoint.path, 0) == 0 { return }
        guard errno == EBUSY, umount2(mountPoint.path, Int32(MNT_DETACH)) == 0 else {
            throw failure("umount \(mountPoint.path)", errno)
        }
    }

    private static func failure(_ operation: String, _ code: Int32) -> ResourceLimitError {
        ResourceLimitError("\(operation) failed: \(String(cString: strerror(code)))")
    }
}
