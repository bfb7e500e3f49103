import Foundation
import Testing

/// PROGRAM runs as the container contract says: exact argv, exact environment, working directory /,
/// and its exit status is the launcher's.
@Suite(.timeLimit(.minutes(1)))
struct ProgramExecutionTests {
    @Test func argumentsArePassedExactlyWithoutAShell() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let arguments = ["with space", "\"quoted\"", "", "$HOME", "*", "it's", "--opt-ml"]
        let printEach = #"for a in "$@"; do printf '[%s]\n' "$a"; done"#

        let result = try await Launcher.run(
            folders.launcherOptions, program: ["sh", "-c", printEach, "sh"] + arguments, in: folders)

        #expect(result.standardOutput == arguments.map { "[\($0)]\n" }.joined(), "\(result.standardError)")
    }

    @Test func environmentIsPassedExactly() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let environment = ["PATH": "/usr/bin:/bin", "SM_CURRENT_HOST": "algo-1", "SPACED": "a b  c", "DOLLAR": "$HOME", "EMPTY": ""]

        let result = try await Launcher.run(folders.launcherOptions, program: ["env", "-0"], environment: environment, in: folders)

        let seen = result.standardOutput.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(Set(seen) == Set(environment.map { "\($0.key)=\($0.value)" }), "\(result.standardError)")
        #expect(seen.count == environment.count)
    }

    @Test func workingDirectoryIsRootUnlessGiven() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        try folders.folder("opt-ml/code")

        let byDefault = try await Launcher.run(folders.launcherOptions, program: ["pwd"], in: folders)
        let given = try await Launcher.run(folders.launcherOptions + ["--workdir", "/opt/ml/code"], program: ["pwd"], in: folders)

        #expect(byDefault.standardOutput == "/\n", "\(byDefault.standardError)")
        #expect(given.standardOutput == "/opt/ml/code\n", "\(given.standardError)")
    }

    @Test func programsExitCodeIsTheLaunchersAndLeavesNoErrorFile() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }

        let result = try await Launcher.run(folders.launcherOptions, program: ["sh", "-c", "exit 3"], in: folders)

        #expect(result.reason == .exit && result.status == 3)
        #expect(!FileManager.default.fileExists(atPath: folders.errorFile.path))
    }

    @Test func programKilledBySignalIsSeenAsThatSignal() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }

        let result = try await Launcher.run(folders.launcherOptions, program: ["sh", "-c", "kill -TERM $$"], in: folders)

        #expect(result.reason == .uncaughtSignal && result.status == SIGTERM)
        #expect(!FileManager.default.fileExists(atPath: folders.errorFile.path))
    }
}
