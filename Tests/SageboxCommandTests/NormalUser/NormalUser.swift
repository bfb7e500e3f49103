import Foundation
import Testing

/// sagebox run by a normal user made for the test (`useradd`), from a folder of the user's own holding
/// copies of the built binaries and a fresh sagebox root, inside cgroups delegated to the user.
struct NormalUser {
    static let name = "sagebox-test"

    let uid: uid_t
    let gid: gid_t
    /// The user's folder: `bin/` (sagebox, sagebox-launcher), `root/` (the sagebox root), job files.
    let home: URL
    let cgroup: DelegatedCgroup

    var root: URL { home.appending(path: "root") }

    /// `base`: the folder that holds the user's folder (the temporary folder by default).
    init(base: URL? = nil) throws {
        if getpwnam(Self.name) == nil {
            let made = try Sagebox.execute(URL(filePath: "/usr/sbin/useradd"),
                                           ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Self.name])
            #expect(made.status == 0 || getpwnam(Self.name) != nil, "useradd: \(made.stderr)")
        }
        let account = try #require(getpwnam(Self.name)?.pointee)
        uid = account.pw_uid
        gid = account.pw_gid
        let id = UUID().uuidString.prefix(8)
        home = (base ?? FileManager.default.temporaryDirectory).appending(path: "sagebox-user-\(id)")
        let bin = home.appending(path: "bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        // Copies: the build folder may sit where the user cannot reach (a home folder of mode 700).
        for tool in ["sagebox", "sagebox-launcher"] {
            try Self.copyExecutable(Sagebox.binary.deletingLastPathComponent().appending(path: tool), to: bin.appending(path: tool))
        }
        try FileManager.default.createDirectory(at: home.appending(path: "root"), withIntermediateDirectories: true)
        for path in [home, bin, home.appending(path: "root")] { chown(path.path, uid, gid) }
        cgroup = try DelegatedCgroup(owner: uid, group: gid, name: "sagebox-user-\(id)")
    }

    /// Copies with a descriptor closed on exec: a process spawned meanwhile by a test running beside this
    /// one must not inherit the file open for writing, or executing the copy fails (ETXTBSY, exit 126).
    private static func copyExecutable(_ source: URL, to destination: URL) throws {
        let data = try Data(contentsOf: source)
        let fd = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                guard count > 0 else { throw CocoaError(.fileWriteUnknown) }
                offset += count
            }
        }
    }

    /// Runs `sagebox --root <root> arguments` as the user, inside the delegated cgroups.
    @discardableResult
    func sagebox(_ arguments: String...) throws -> Sagebox.Result { try sagebox(arguments) }

    @discardableResult
    func sagebox(_ arguments: [String]) throws -> Sagebox.Result {
        // No samples' environment: the test's `.venv` links to a Python the user cannot reach, and the
        // default image would mount it into the job (under /tmp, for a checkout there).
        try Sagebox.execute(URL(filePath: "/bin/sh"), ["-c", shellCommand(Self.quoted(sageboxCommand(arguments)))],
                            environment: ["SAGEBOX_PYTHON_ENV": ""])
    }

    /// Runs sagebox as `sagebox(_:)` does, and counts the bytes that it and every process it waited for
    /// read (`rchar` of /proc/PID/io, of a shell that waits for sagebox: a process's count includes the
    /// counts of the children it reaped, and theirs of their own). FUSE's daemon is not among them.
    func sageboxCountingReads(_ arguments: [String]) throws -> (result: Sagebox.Result, bytesRead: Int) {
        let counts = home.appending(path: "io-\(UUID().uuidString.prefix(8))")
        let script = "\(Self.quoted(sageboxCommand(arguments))); s=$?; cat /proc/$$/io > \(Self.quoted([counts.path])); exit $s"
        let result = try Sagebox.execute(URL(filePath: "/bin/sh"), ["-c", shellCommand("/bin/sh -c \(Self.quoted([script]))")],
                                         environment: ["SAGEBOX_PYTHON_ENV": ""])
        let io = (try? String(contentsOf: counts, encoding: .utf8)) ?? ""
        let rchar = io.split(separator: "\n").first { $0.hasPrefix("rchar: ") }.flatMap { Int($0.dropFirst(7)) }
        return (result, try #require(rchar, "no rchar in \(io)"))
    }

    /// `sagebox serve --port 0` as the user, inside the delegated cgroups; the caller ends it with
    /// `stopServer`. Returns the process and the endpoint URL it printed.
    func serve() throws -> (process: Process, url: String) {
        let out = Pipe()
        let process = try spawn(sageboxCommand(["serve", "--port", "0", "--stop-grace", "2"]), stdout: out)
        let text = out.fileHandleForReading.firstLine()
        let url = try #require(text.split(separator: " ").last.map(String.init), "serve printed \(text)")
        return (process, url)
    }

    /// Starts `command` as the user inside the delegated cgroups, without waiting for it.
    func spawn(_ command: [String], stdout: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(filePath: "/bin/sh")
        process.arguments = ["-c", shellCommand(Self.quoted(command))]
        process.environment = ProcessInfo.processInfo.environment.merging(["SAGEBOX_PYTHON_ENV": ""]) { $1 }
        if let stdout { process.standardOutput = stdout }
        try process.run()
        return process
    }

    /// SIGKILL: the test's threads may block SIGTERM, and a child inherits that mask.
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func sageboxCommand(_ arguments: [String]) -> [String] {
        [home.appending(path: "bin/sagebox").path, "--root", root.path] + arguments
    }

    /// A shell command line that joins the delegated cgroups as root, then runs `command` as the user
    /// (exec: the user's process takes the shell's pid); its children inherit both.
    private func shellCommand(_ command: String) -> String {
        let join = cgroup.folders.map { "echo $$ > '\($0.path)/cgroup.procs'" }.joined(separator: " && ")
        return "\(join) && exec setpriv --reuid=\(uid) --regid=\(gid) --clear-groups -- \(command)"
    }

    /// Each of `words` in single quotes for the shell, joined with spaces.
    static func quoted(_ words: [String]) -> String {
        words.map { "'\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }.joined(separator: " ")
    }

    /// Writes `text` to a file the user can read, and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = home.appending(path: name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        chown(url.path, uid, gid)
        return url.path
    }

    /// Describes job `name` as JSON.
    func describe(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try sagebox("describe", name).stdout.utf8)) as? [String: Any])
    }

    /// The lines job `name` logged, without `sagebox logs`' stream headers.
    func logLines(_ name: String) throws -> [String] {
        try sagebox("logs", name).stdout.split(separator: "\n").filter { !$0.hasPrefix("==> ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Removes the user's folder and cgroups.
    func remove() {
        cgroup.remove()
        try? FileManager.default.removeItem(at: home)
    }
}
