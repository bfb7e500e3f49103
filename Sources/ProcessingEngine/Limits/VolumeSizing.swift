/// The size of each instance's volume: VolumeSizeInGB, unless this machine cannot hold it.
///
/// A volume is a sparse image, so a size larger than the disk would be accepted and fail only once the
/// job had filled the host. Instead the size is clamped to what the disk can give, and the timeline says
/// so; the job then meets ENOSPC inside its volume, as on a full EBS volume, and the host keeps its floor:
/// - the image is one file: never larger than the host's file system allows, in whole GB (ext4's
///   largest file is 16 TiB less a 4 KiB block: 16383 GB);
/// - never more than the free space above the floor (`RunnerSettings.diskFloorBytes`), shared evenly
///   by the job's instances, whose volumes fill at once;
/// - never less than 1 GB, VolumeSizeInGB's own minimum: where even that is more than is free, the
///   floor watcher stops the job as soon as it starts.
public struct VolumeSizing: Sendable, Equatable {
    /// The size every instance's volume gets.
    public let gigabytes: Int
    /// Why it is less than VolumeSizeInGB, for the timeline; nil when it is not.
    public let note: String?

    public var bytes: UInt64 { UInt64(gigabytes) << 30 }

    public init(requestedGigabytes requested: Int, instanceCount: Int, disk: HostDisk?, floorBytes: UInt64) {
        guard let disk else {
            (gigabytes, note) = (requested, nil)
            return
        }
        let largestFile = disk.largestFileBytes.map { Int($0 >> 30) } ?? Int.max
        let share = Int(((disk.freeBytes - min(disk.freeBytes, floorBytes)) / UInt64(max(1, instanceCount))) >> 30)
        gigabytes = max(1, min(requested, largestFile, share))
        guard gigabytes < requested else {
            note = nil
            return
        }
        let why = if largestFile <= share {
            "the host's file system holds no file over \(largestFile) GB, and each volume is one file"
        } else {
            "the host's free disk space, \(ByteCount(bytes: disk.freeBytes)), above the \(ByteCount(bytes: floorBytes)) floor, shared by \(max(1, instanceCount)) instance(s)"
        }
        note = "VolumeSizeInGB \(requested) is more than this machine can hold: each instance's volume is \(gigabytes) GB (\(why))"
    }
}
