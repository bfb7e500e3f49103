import Foundation

extension JobFolder {
    /// Releases what a runner that died left of its instances: the processes still in their cgroups
    /// (killed), their volumes (unmounted, images deleted), their private /tmp and staged links.
    func releaseInstances() {
        let hosts = (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.filter { $0.hasPrefix("algo-") } ?? []
        for host in hosts {
            try? InstanceCgroup.existing(name: "\(url.lastPathComponent)-\(host)")?.destroy()
            let instance = instance(host)
            let volume = InstanceVolume(mountPoint: instance.volume, imageFile: instance.volumeImage, sizeBytes: 0,
                                         mounting: InstanceVolume.mounting)
            if volume.isMounted() { try? volume.remove() }
            instance.removeScratch()
        }
    }
}
