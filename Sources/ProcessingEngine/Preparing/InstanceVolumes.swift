import Foundation

/// The volumes of a job's instances: VolumeSizeInGB each, mounted on the instances' `volume` folders
/// before anything is staged, removed once the outputs are uploaded.
final class InstanceVolumes {
    private var volumes: [InstanceVolume?] = []
    /// Where formatted template images are kept, one per size (`VolumeTemplate`).
    private let templates: URL?

    init(templates: URL? = nil) {
        self.templates = templates
    }

    /// Mounts a volume of `sizing` for `folder`, or leaves its `volume` a plain folder (saying why
    /// through `note`, once) where this machine cannot mount one. Returns the folder to stage into: its
    /// overlays move off a volume that cannot hold them. A volume that fails for its size (the image too
    /// large for the host's file system, or the host full) fails the job instead: the job would
    /// otherwise write on the host's disk, unbounded.
    func mount(for folder: InstanceFolder, sizing: VolumeSizing, note: (String) -> Void) throws(StagingFailure) -> InstanceFolder {
        if let problem = InstanceVolume.availabilityProblem() {
            if volumes.isEmpty { note(problem.description) }
            volumes.append(nil)
            return folder
        }
        do {
            let volume = try InstanceVolume.create(sizeBytes: sizing.bytes, imageFile: folder.volumeImage, mountPoint: folder.volume,
                                                   templates: templates)
            volumes.append(volume)
            var staged = folder
            staged.overlaysOnVolume = volume.holdsOverlays
            return staged
        } catch let error as SparseFileError where error.isSizeProblem {
            throw StagingFailure(reason: FailureReason.clientError(
                "The \(sizing.gigabytes) GB volume of \(folder.url.lastPathComponent) could not be made on this machine (\(error)). Please use a smaller VolumeSizeInGB."))
        } catch {
            note("VolumeSizeInGB not enforced for \(folder.url.lastPathComponent): \(error)")
            volumes.append(nil)
            return folder
        }
    }

    /// Whether each instance's volume is full (false where there is no volume).
    var full: [Bool] { volumes.map { $0?.isFull ?? false } }

    /// `removeAll()` on another thread; `wait()` on the result returns once every volume is gone.
    func removeAllConcurrently() -> VolumeRemoval {
        let taken = volumes.compactMap { $0 }
        volumes.removeAll()
        return VolumeRemoval(taken)
    }

    /// Unmounts and deletes every volume (what was on them, the job's /opt/ml and /tmp, goes with them).
    func removeAll() {
        for volume in volumes { try? volume?.remove() }
        volumes.removeAll()
    }
}
