import Foundation

/// A job's folder under `<root>/jobs/`, and the folders of its instances.
///
/// ```
/// <job>/<host>/volume/            the instance's volume (VolumeSizeInGB, a loop-mounted ext4 image
///                                 `volume.img` where sagebox can mount one; a plain folder otherwise):
///              volume/opt-ml/     bound at /opt/ml in the job (config/, output/, processing/)
///              volume/tmp/        bound at /tmp; removed when the job ends
///              volume/overlays/   the overlays' upper and work layers (what the job changed in its inputs),
///                                 and container/: the job's writable file system (its root, its writes
///                                 to host folders, its own /root, /home, /run, /var/tmp)
/// <job>/<host>/overlays/          the same, where the volume cannot hold them (a FUSE volume)
/// <job>/<host>/hosts            shown read-only at /etc/hosts in the job (`HostsFile`)
/// <job>/<host>/staging/           hard links to the staged objects (the overlays' read-only lower layers;
///                                 on the store's file system, since hard links cannot leave it)
/// ```
struct JobFolder: Sendable {
    let url: URL

    func instance(_ host: String) -> InstanceFolder {
        InstanceFolder(url: url.appending(path: host, directoryHint: .isDirectory))
    }
}

struct InstanceFolder: Sendable {
    let url: URL
    /// Whether the overlays' layers live on the volume, where what the job changes in its inputs counts
    /// against VolumeSizeInGB; false where the volume cannot hold them (`InstanceVolume.holdsOverlays`).
    var overlaysOnVolume = true

    var volume: URL { url.appending(path: "volume", directoryHint: .isDirectory) }
    var volumeImage: URL { url.appending(path: "volume.img") }
    var optML: URL { volume.appending(path: "opt-ml", directoryHint: .isDirectory) }
    var tmp: URL { volume.appending(path: "tmp", directoryHint: .isDirectory) }
    var staging: URL { url.appending(path: "staging", directoryHint: .isDirectory) }
    var overlays: URL { overlaysOnVolume ? overlaysOnTheVolume : overlaysBesideTheVolume }
    private var overlaysOnTheVolume: URL { volume.appending(path: "overlays", directoryHint: .isDirectory) }
    private var overlaysBesideTheVolume: URL { url.appending(path: "overlays", directoryHint: .isDirectory) }
    /// The container's writable layer (`--layer`): what the job writes outside /opt/ml and /tmp.
    var containerLayer: URL { overlays.appending(path: "container", directoryHint: .isDirectory) }
    /// The instance's `/etc/hosts`, where every host of the job resolves.
    var hostsFile: URL { url.appending(path: "hosts") }
    /// Where the launcher writes why it could not start the job.
    var launcherError: URL { url.appending(path: "launcher-error") }

    /// The host path of a path inside the job's `/opt/ml`.
    func hostURL(forContainerPath path: String) -> URL {
        precondition(path.hasPrefix("/opt/ml/"), "container paths handed here are validated to be under /opt/ml/")
        return optML.appending(path: String(path.dropFirst("/opt/ml/".count)))
    }

    /// A path inside the job's `/opt/ml` as sagebox must reach it while or after the job ran: from the
    /// volume's `opt-ml`, which the job cannot replace, without following what the job made below it.
    func containedPath(forContainerPath path: String) -> ContainedPath {
        precondition(path.hasPrefix("/opt/ml/"), "container paths handed here are validated to be under /opt/ml/")
        return ContainedPath(base: optML, relative: String(path.dropFirst("/opt/ml/".count)))
    }

    /// Makes the instance's folders, with `containerFolders` (paths under /opt/ml) its job kind has.
    func create(containerFolders: [String]) throws {
        let fm = FileManager.default
        for folder in [optML.appending(path: "output"), tmp, staging, overlays, containerLayer] + containerFolders.map(hostURL(forContainerPath:)) {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// Removes what must not outlive the job: its private /tmp, the staged links and the overlays.
    /// `opt-ml` stays, so what was not uploaded can still be looked at.
    func removeScratch() {
        // Without root, the kernel leaves an overlay's `work/work` folder with mode 000: give it back first.
        let layers = [overlaysOnTheVolume, overlaysBesideTheVolume]
        for folder in layers {
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            while let relative = walker.nextObject() as? String { chmod(folder.appending(path: relative).path, 0o700) }
        }
        for folder in [tmp, staging, launcherError, hostsFile] + layers { try? FileManager.default.removeItem(at: folder) }
    }
}
