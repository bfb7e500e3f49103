import Foundation
import Testing

/// ExitMessage when sagebox runs as a normal user (issue 11, C2): the volume is a fuse2fs mount, and
/// `/opt/ml/output/message` is read from it by the user's own runner.
@Suite("ExitMessage as a normal user", .serialized)
struct NormalUserExitMessageTests {
    /// A message file of 2 GiB or 100 GiB that holds 4 bytes: ExitMessage is its first 1,024 bytes, and
    /// neither sagebox nor anything it waited for read more than a few MiB in the whole run (a runner
    /// that read the file through would count its full size), in a few seconds.
    /// The premise is checked inside the job: with fuse2fs 1.47.0 (FUSE 2.9.9, `-o fakeroot`, no writeback
    /// cache) truncate and dd extend the file as the job and the user's runner see it, but the test, as
    /// root, cannot even stat a file in the user's FUSE mount (EACCES: it is mounted without allow_other).
    @Test(arguments: [(size: "2G", bytes: 2 << 30), (size: "100G", bytes: 100 << 30)])
    func aSparseMessageCostsAKibibyteAndIsNotReadThrough(size: String, bytes: Int) throws {
        let user = try NormalUser()
        defer { user.remove() }
        let name = "message-\(size)"
        let script = "printf done > /opt/ml/output/message && truncate -s \(size) /opt/ml/output/message && stat -c '%s %b' /opt/ml/output/message"
        let request = try user.file("\(name).json", NormalUser.job(name, ["/bin/sh", "-c", script]))
        let clock = ContinuousClock.now
        let (result, bytesRead) = try user.sageboxCountingReads(["run", request, "--wait"])
        let elapsed = ContinuousClock.now - clock
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The premise: in the job's view (the fuse2fs volume) the file has its full size and 4 KiB of blocks.
        let seen = try user.logLines(name).first?.split(separator: " ").map(String.init) ?? []
        #expect(seen.first == String(bytes) && (Int(seen.last ?? "") ?? .max) <= 8, "\(seen)")
        let message = try #require(try user.describe(name)["ExitMessage"] as? String)
        #expect(message.utf8.count == 1024)
        #expect(message.hasPrefix("done") && message.utf8.dropFirst(4).allSatisfy { $0 == 0 })
        #expect(bytesRead < 16 << 20, "the run read \(bytesRead) bytes")
        #expect(elapsed < .seconds(30))
    }

    /// ExitMessage may hold any character (botocore's pattern `[\S\s]*`): a NUL comes back from the stored
    /// job over HTTP, through boto3, with all that follows it, as the file held it.
    @Test func anExitMessageHoldingANULComesBackWholeThroughBoto3() throws {
        let user = try NormalUser()
        defer { user.remove() }
        let (server, url) = try user.serve()
        defer { NormalUser.stop(server) }
        let writer = "open('/opt/ml/output/message', 'wb').write(b'a\\x00b' + b'\\x00c' * 600)"
        let request = NormalUser.job("nul-message", ["/usr/bin/python3", "-c", writer])
        let client = """
            request = json.loads(sys.argv[2])
            sm.create_processing_job(**request)
            job = wait(request["ProcessingJobName"])
            print(json.dumps([job["ProcessingJobStatus"], job.get("ExitMessage")]))
            """
        let result = try NormalUser.boto3(url, client, request)
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])
        let written = Data("a\0b".utf8) + Data(String(repeating: "\0c", count: 600).utf8)
        #expect(answer.first as? String == "Completed")
        #expect(answer.last as? String == String(decoding: written.prefix(1024), as: UTF8.self))
    }
}
