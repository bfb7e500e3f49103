import Foundation
import Testing

/// A failure of the launcher itself is told apart from the program's exit code: one line in the
/// error file (and on stderr), and exit 125, 126 or 127.
@Suite(.timeLimit(.minutes(1)))
struct LauncherFailureTests {
    private func expectFailure(_ result: LauncherResult, _ folders: JobFolders, status: Int32, line: String) throws {
        #expect(result.reason == .exit && result.status == status)
        #expect(try folders.read(folders.errorFile) == line)
        #expect(result.standardError == line)
    }

    @Test func missingProgramIs127() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(folders.launcherOptions, program: ["no-such-program-sagebox"], in: folders)
        try expectFailure(result, folders, status: 127,
                          line: "sagebox-launcher: exec no-such-program-sagebox: No such file or directory\n")
    }

    @Test func programThatIsNotExecutableIs126() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        try "echo hi\n".write(to: folders.optML.appendingPathComponent("script.sh"), atomically: true, encoding: .utf8)
        let result = try await Launcher.run(folders.launcherOptions, program: ["/opt/ml/script.sh"], in: folders)
        try expectFailure(result, folders, status: 126, line: "sagebox-launcher: exec /opt/ml/script.sh: Permission denied\n")
    }

    @Test func unknownOptionIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(folders.launcherOptions + ["--memory-bits", "3"], program: ["true"], in: folders)
        try expectFailure(result, folders, status: 125, line: "sagebox-launcher: unknown option --memory-bits: Invalid argument\n")
    }

    @Test func aShowWithoutTargetOrOntoTheJobsOwnFoldersIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let program = try folders.folder("program").path
        for (value, line) in [
            (program, "--show \(program): expected HOST:TARGET"),
            ("\(program):/opt/ml/code", "--show \(program):/opt/ml/code: TARGET may not be /opt/ml or inside it"),
            ("\(program):/", "--show \(program):/: TARGET may not be / or inside it"),
            ("\(program):/opt/../tmp", "--show /opt/../tmp: path contains '..'"),
            ("\(program)/absent:/opt/program", "--show \(program)/absent: No such file or directory"),
        ] {
            let result = try await Launcher.run(folders.launcherOptions + ["--show", value], program: ["true"], in: folders)
            let message = line.hasSuffix("directory") ? line : line + ": Invalid argument"
            try expectFailure(result, folders, status: 125, line: "sagebox-launcher: \(message)\n")
        }
    }

    @Test func missingOptMLIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            ["--tmp", folders.tmp.path, "--error-file", folders.errorFile.path], program: ["true"], in: folders)
        try expectFailure(result, folders, status: 125, line: "sagebox-launcher: missing required option --opt-ml: Invalid argument\n")
    }

    @Test func optMLFolderThatDoesNotExistIs125() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let missing = folders.base.appendingPathComponent("absent").path
        let result = try await Launcher.run(
            ["--opt-ml", missing, "--tmp", folders.tmp.path, "--error-file", folders.errorFile.path], program: ["true"], in: folders)
        try expectFailure(result, folders, status: 125, line: "sagebox-launcher: --opt-ml \(missing): No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: missing), "nothing is created on the host")
    }
}
