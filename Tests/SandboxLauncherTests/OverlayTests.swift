import Foundation
import Testing

/// A staged input shown through an overlay: the job may change it, the stored object never changes.
@Suite(.timeLimit(.minutes(1)))
struct OverlayTests {
    @Test func jobChangesItsInputWhileTheStoredObjectStaysIdentical() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        // The fake S3's object file, hard-linked into the lower folder as staging does it.
        let object = try folders.folder("buckets/lab/raw").appendingPathComponent("data.csv")
        try "a,b\n1,2\n".write(to: object, atomically: true, encoding: .utf8)
        let lower = try folders.folder("staging/lower"), upper = try folders.folder("staging/upper")
        let work = try folders.folder("staging/work")
        try FileManager.default.linkItem(at: object, to: lower.appendingPathComponent("data.csv"))
        try "keep\n".write(to: lower.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
        try folders.folder("opt-ml/processing/input/data")
        let objectInode = try inode(object)

        let script = """
            cd /opt/ml/processing/input/data && echo 3,4 >> data.csv && printf replaced > other.csv \
            && echo fresh > new.csv && cat data.csv other.csv new.csv
            """
        let result = try await Launcher.run(
            folders.launcherOptions + ["--overlay", "\(lower.path):\(upper.path):\(work.path):/opt/ml/processing/input/data"],
            program: ["sh", "-c", script], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "a,b\n1,2\n3,4\nreplacedfresh\n")
        #expect(try folders.read(object) == "a,b\n1,2\n")
        #expect(try inode(object) == objectInode)
        #expect(try folders.read(lower.appendingPathComponent("other.csv")) == "keep\n")
        #expect(try folders.read(upper.appendingPathComponent("data.csv")) == "a,b\n1,2\n3,4\n")
        #expect(try folders.read(upper.appendingPathComponent("other.csv")) == "replaced")
        #expect(try folders.read(upper.appendingPathComponent("new.csv")) == "fresh\n")
    }

    @Test func malformedOverlayIsASetupFailure() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let result = try await Launcher.run(
            folders.launcherOptions + ["--overlay", "/only/two:/parts"], program: ["true"], in: folders)
        #expect(result.status == 125)
        #expect(try folders.read(folders.errorFile)
            == "sagebox-launcher: --overlay /only/two:/parts: expected LOWER:UPPER:WORK:TARGET: Invalid argument\n")
    }

    private func inode(_ url: URL) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }
}
