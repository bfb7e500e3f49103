import Foundation
import Testing

/// The job's /dev is minimal: the harmless devices work, the host's disks are not there.
@Suite(.timeLimit(.minutes(1)))
struct DeviceTests {
    @Test func devHoldsOnlyTheHarmlessDevices() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let hostDevices = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        #expect(hostDevices.count > 13, "the host's /dev holds more than the job's")

        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["sh", "-c", """
                ls -A /dev | tr '\\n' ' '; echo
                echo gone > /dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 8 /dev/urandom | wc -c
                echo shared > /dev/shm/x && cat /dev/shm/x && readlink /dev/stdout
                mknod /dev/sda b 8 0 2>/dev/null && echo mknod-allowed || echo mknod-refused
                """],
            in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == """
            fd full null ptmx pts random shm stderr stdin stdout tty urandom zero 
             00 00 00 00
            8
            shared
            /proc/self/fd/1
            mknod-refused

            """)
    }

    @Test func pseudoTerminalsAreTheJobsOwn() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            folders.launcherOptions,
            program: ["python3", "-c", "import os; m, s = os.openpty(); print(os.ttyname(s)); print(sorted(os.listdir('/dev/pts')))"],
            in: folders)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "/dev/pts/0\n['0', 'ptmx']\n")
    }

    /// --shm-size bounds /dev/shm even where the job has no memory cgroup (the kernel's default is half
    /// of the host's memory): past it, a write fails with ENOSPC.
    @Test func devShmHoldsAtMostShmSize() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            folders.launcherOptions + ["--shm-size", String(1 << 20)],
            program: ["sh", "-c", "df -k /dev/shm | tail -1 | tr -s ' ' | cut -d' ' -f2; head -c 2M /dev/zero > /dev/shm/x || echo refused"],
            in: folders)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "1024\nrefused\n")
        #expect(result.standardError.contains("No space left on device"), "\(result.standardError)")
    }
}
