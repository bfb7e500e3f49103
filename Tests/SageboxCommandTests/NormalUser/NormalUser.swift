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

    init() throws {
        if getpwnam(Self.name) == nil {
            let made = try Sagebox.execute(URL(filePath: "/usr/sbin/useradd"),
                                           ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Self.name])
            #expect(made.status == 0 || getpwnam(Self.name) != nil, "useradd: \(made.stderr)")
        }
        let account = try #require(getpwnam(Self.name)?.pointee)
        uid = account.pw_uid
        gid = account.pw_gid
        let id = UUID().uuidString.prefix(8)
        home = FileManager.default.temporaryDirectory.appending(path: "sagebox-user-\(id)")
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
        // The shell joins the cgroups as root, then becomes the user; sagebox inherits both.
        let join = cgroup.folders.map { "echo $$ > '\($0.path)/cgroup.procs'" }.joined(separator: " && ")
        let command = ([home.appending(path: "bin/sagebox").path, "--root", root.path] + arguments)
            .map { "'\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }.joined(separator: " ")
        // No samples' environment: the test's `.venv` links to a Python the user cannot reach, and the
        // default image would mount it into the job (under /tmp, for a checkout there).
        return try Sagebox.execute(URL(filePath: "/bin/sh"),
                                   ["-c", "\(join) && exec setpriv --reuid=\(uid) --regid=\(gid) --clear-groups -- \(command)"],
                                   environment: ["SAGEBOX_PYTHON_ENV": ""])
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
