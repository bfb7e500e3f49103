import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

/// Issue 11's first policy: nothing on the host side follows a path the job can change. Each test is a
/// job that tries a trick on its own folders (a link, a FIFO, a swapped folder, a sparse file) against a
/// host file or folder outside the job, and checks that the host's copy is untouched and nothing of it
/// reaches the fake S3.
@Suite("The host side never follows what the job made")
struct HostSideFileTests {
    /// A host folder outside every job and root, holding `secret.txt`.
    private struct Victim {
        let folder: URL
        var file: URL { folder.appending(path: "secret.txt") }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appending(path: "sagebox-victim-\(UUID().uuidString)", directoryHint: .isDirectory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("host secret\n".utf8).write(to: file)
        }

        var untouched: Bool {
            (try? String(contentsOf: file, encoding: .utf8)) == "host secret\n"
                && (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["secret.txt"]
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    private func timeline(_ fixture: EngineFixture, _ job: JobRecord) throws -> [String] {
        try fixture.root.jobs.events(jobId: job.id!).map(\.message)
    }

    @Test func aPipeFIFOSwappedForALinkToAHostFileLeavesThatFileUnchanged() throws {
        let fixture = try EngineFixture()
        let victim = try Victim()
        defer { victim.remove() }
        try fixture.put("stream/data", String(repeating: "input bytes\n", count: 1000))
        var pipe = fixture.input("stream", uri: "s3://lab/stream/", localPath: "/opt/ml/processing/input")
        pipe.s3Input?.s3InputMode = "Pipe"
        // The feeder keeps trying to open the FIFO until a reader comes; give it time to meet the link.
        let script = "rm /opt/ml/processing/input_0 && ln -s \(victim.file.path) /opt/ml/processing/input_0 && sleep 1"
        let job = try fixture.run(fixture.request("pipe-link", script: script, inputs: [pipe]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(victim.untouched)
    }

    @Test func aPipeFIFOReplacedByTheJobsOwnFileIsNotWrittenInto() throws {
        let fixture = try EngineFixture()
        try fixture.put("stream/data", "input bytes\n")
        var pipe = fixture.input("stream", uri: "s3://lab/stream/", localPath: "/opt/ml/processing/input")
        pipe.s3Input?.s3InputMode = "Pipe"
        let script = "rm /opt/ml/processing/input_0 && : > /opt/ml/processing/input_0 && sleep 1 && wc -c < /opt/ml/processing/input_0"
        let job = try fixture.run(fixture.request("pipe-file", script: script, inputs: [pipe]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.logs("pipe-file") == ["0"])
    }

    /// The output folder itself, or the folder above it, swapped for a link to a host folder.
    @Test(arguments: ["output", "parent"])
    func anOutputFolderSwappedForALinkUploadsNothingAndLeavesTheHostFolder(swapped: String) throws {
        let fixture = try EngineFixture()
        let victim = try Victim()
        defer { victim.remove() }
        let script = swapped == "output"
            ? "rm -rf /opt/ml/processing/output && ln -s \(victim.folder.path) /opt/ml/processing/output"
            : "rm -rf /opt/ml/processing/results && ln -s \(victim.folder.deletingLastPathComponent().path) /opt/ml/processing/results"
        let localPath = swapped == "output" ? "/opt/ml/processing/output" : "/opt/ml/processing/results/\(victim.folder.lastPathComponent)"
        let name = "swap-\(swapped)"
        let job = try fixture.run(fixture.request(name, script: script,
                                                  outputs: [fixture.output("out", uri: "s3://lab/\(name)/", localPath: localPath)]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(victim.untouched)
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: name) == [])
    }

    @Test func aContinuousOutputFolderSwappedForALinkUploadsNothingFromTheHost() throws {
        let fixture = try EngineFixture()
        let victim = try Victim()
        defer { victim.remove() }
        var output = fixture.output("out", uri: "s3://lab/continuous/", localPath: "/opt/ml/processing/output")
        output.s3Output?.s3UploadMode = "Continuous"
        let script = "rm -rf /opt/ml/processing/output && ln -s \(victim.folder.path) /opt/ml/processing/output && sleep 1"
        let job = try fixture.run(fixture.request("continuous-link", script: script, outputs: [output]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(victim.untouched)
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "continuous") == [])
    }

    @Test func anExitMessageLinkedToAHostFileIsNotRead() throws {
        let fixture = try EngineFixture()
        let victim = try Victim()
        defer { victim.remove() }
        let job = try fixture.run(fixture.request("message-link", script: "ln -s \(victim.file.path) /opt/ml/output/message"))
        #expect(job.status == .completed)
        #expect(job.exitMessage == nil)
    }

    @Test func aSparse100GBExitMessageCostsAKibibyte() throws {
        let fixture = try EngineFixture()
        let job = try fixture.run(fixture.request("message-sparse", script: "printf done > /opt/ml/output/message && truncate -s 100G /opt/ml/output/message"))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        let message = try #require(job.exitMessage)
        #expect(message.utf8.count == 1024)
        #expect(message.hasPrefix("done\0"))
    }

    @Test func linksFIFOsAndSocketsInOutputsAreNamedOnTheTimelineAndNotUploaded() throws {
        let fixture = try EngineFixture()
        let script = """
            cd /opt/ml/processing/output && echo ok > real.txt && ln -s /etc/hostname link && mkfifo fifo \
            && python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('sock')"
            """
        let job = try fixture.run(fixture.request("passed-over", script: script,
                                                  outputs: [fixture.output("out", uri: "s3://lab/passed/", localPath: "/opt/ml/processing/output")]))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.root.s3.allKeys(bucket: "lab", prefix: "passed/") == ["passed/real.txt"])
        let notes = try timeline(fixture, job).filter { $0.hasPrefix("Not uploaded from") }
        #expect(notes == ["Not uploaded from /opt/ml/processing/output: fifo (a FIFO)",
                          "Not uploaded from /opt/ml/processing/output: link (a symbolic link)",
                          "Not uploaded from /opt/ml/processing/output: sock (a socket)"])
    }
}
