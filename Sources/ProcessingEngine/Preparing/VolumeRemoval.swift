import Foundation

/// Volumes being unmounted and deleted on a thread of their own (`InstanceVolumes.removeAllConcurrently`).
final class VolumeRemoval: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ volumes: [InstanceVolume]) {
        let done = done
        DispatchQueue.global().async {
            for volume in volumes { try? volume.remove() }
            done.signal()
        }
    }

    /// Returns once every volume is unmounted and deleted; at once after the first call.
    func wait() {
        done.wait()
        done.signal()  // later calls (the `defer` after an explicit wait) return at once
    }
}
