import Foundation

extension InstanceCgroup {
    /// Kills every process left in the cgroup, waits until it is empty, then removes its folders.
    /// v2 (Linux 5.14+) kills the whole cgroup at once with `cgroup.kill`; elsewhere every listed pid
    /// gets SIGKILL, again and again, so that a process forked meanwhile is caught in the next round.
    /// Throws when processes survive `timeout` or a folder cannot be removed. Blocking: the runner that
    /// calls it is a thread of its own, not a task.
    public func destroy(timeout: Duration = .seconds(10)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let unifiedFolder: URL? = if case .unified = hierarchy { folders[.memory] } else { nil }
        while true {
            let left = processes()
            if left.isEmpty { break }
            if let unifiedFolder, CgroupFile.exists(unifiedFolder, "cgroup.kill") {
                try? CgroupFile.write("1", to: unifiedFolder, "cgroup.kill")
            } else {
                for pid in left { kill(pid, SIGKILL) }
            }
            guard clock.now < deadline else {
                throw ResourceLimitError("processes \(left) survived in cgroup \(launcherFolders.joined(separator: ", "))")
            }
            usleep(10_000)
        }
        try removeFolders(until: deadline)
    }

    /// rmdir is how a cgroup goes; it is busy (EBUSY) until the kernel has released the last exited
    /// process, which can take a moment after the process list is empty.
    private func removeFolders(until deadline: ContinuousClock.Instant) throws {
        for path in launcherFolders {
            while rmdir(path) != 0 {
                let error = errno
                if error == ENOENT { break }
                guard error == EBUSY, ContinuousClock().now < deadline else {
                    throw ResourceLimitError("cannot remove cgroup \(path): \(String(cString: strerror(error)))")
                }
                usleep(20_000)
            }
        }
    }
}
