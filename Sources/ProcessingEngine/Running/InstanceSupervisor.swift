import Foundation

/// Watches a job's running instances until every one has ended: their exits, stop requests, the
/// runtime limit, and the rule that one failing instance stops the others. A stop sends SIGTERM to every
/// instance's process group, waits the grace period, then sends SIGKILL, as the spec's section 12 decides.
final class InstanceSupervisor: @unchecked Sendable {  // `exits` and `processes` are guarded by `lock`
    private let hosts: [String]
    private let lock = NSCondition()
    private var processes: [InstanceProcess] = []
    private var exits: [InstanceExit?]

    /// A supervisor for one instance per host; `add` each process as it starts.
    init(hosts: [String]) {
        self.hosts = hosts
        exits = Array(repeating: nil, count: hosts.count)
    }

    func add(_ process: InstanceProcess) {
        lock.withLock { processes.append(process) }
    }

    /// Kills every started instance at once (when the job cannot be started whole).
    func killAll() {
        lock.withLock { processes }.forEach { $0.signalGroup(SIGKILL) }
    }

    /// Records an instance's exit (called from the process's termination handler).
    func exited(_ index: Int, _ exit: InstanceExit) {
        lock.withLock {
            exits[index] = exit
            lock.broadcast()
        }
    }

    /// Blocks until every instance has ended (call it once every instance was added). `stopRequested` is asked a few times a second (it reads the
    /// job's row, so a stop from any process is seen); `deadline` is when MaxRuntimeInSeconds runs out.
    /// `onStop` is told once when a stop begins, so the job can move to Stopping. `hostDiskLow` is asked
    /// as often, and returns the floor when the host's free disk space is under it.
    func waitForAll(deadline: Date, maxRuntime: Int, grace: TimeInterval,
                    stopRequested: () -> Bool, hostDiskLow: () -> UInt64? = { nil }, onStop: (StopCause) -> Void) -> (exits: [InstanceExit], stop: StopCause?) {
        var cause: StopCause?
        var killAt: Date?
        while true {
            let snapshot: [InstanceExit?] = lock.withLock {
                _ = lock.wait(until: Date().addingTimeInterval(0.2))
                return exits
            }
            if snapshot.allSatisfy({ $0 != nil }) { return (snapshot.map { $0! }, cause) }
            if cause == nil {
                if let failed = snapshot.firstIndex(where: { $0 != nil && !$0!.succeeded }) {
                    cause = .instanceFailed(host: hosts[failed])
                } else if stopRequested() {
                    cause = .requested
                } else if Date() >= deadline {
                    cause = .maxRuntime(seconds: maxRuntime)
                } else if let floor = hostDiskLow() {
                    cause = .hostDiskLow(floorBytes: floor)
                }
                if let cause {
                    onStop(cause)
                    signalRunning(snapshot, SIGTERM)
                    killAt = Date().addingTimeInterval(grace)
                }
            } else if let due = killAt, Date() >= due {
                signalRunning(snapshot, SIGKILL)
                killAt = nil
            }
        }
    }

    private func signalRunning(_ snapshot: [InstanceExit?], _ signal: Int32) {
        let started = lock.withLock { processes }
        for (index, exit) in snapshot.enumerated() where exit == nil && index < started.count { started[index].signalGroup(signal) }
    }
}
