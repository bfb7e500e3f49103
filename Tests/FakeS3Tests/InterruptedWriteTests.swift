import FakeS3
import Foundation
import ProcessIdentity
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a process killed in the middle of a write leaves, and how the store puts it right: the key holds
/// its previous version or the new one, whole. A kill cannot be aimed at one instruction from here, so
/// these tests build the state it leaves on disk by hand, from the layout `S3Store+Recovery` documents
/// (the client test `test_crash_safety.py` kills real servers).
@Suite struct InterruptedWriteTests {
    /// The set-aside name a writer gives the version it replaces or deletes.
    private func setAsideURL(_ root: TestRoot, bucket: String, key: String) throws -> URL {
        root.tmp.appendingPathComponent("replaced.\(try sha256sum("\(bucket)/\(key)")).\(UUID().uuidString)")
    }

    /// A kill after the rename of the new file and before the commit: the row names the old version, the
    /// key's path holds bytes never acknowledged, the old bytes are only under their set-aside name.
    private func interruptOverwrite(_ root: TestRoot, key: String, with bytes: String) throws {
        let path = try root.store.getObject(bucket: "lab", key: key).url
        #expect(link(path.path, try setAsideURL(root, bucket: "lab", key: key).path) == 0)
        let new = root.tmp.appendingPathComponent("unacknowledged")
        try Data(bytes.utf8).write(to: new)
        #expect(rename(new.path, path.path) == 0)
    }

    @Test func aReaderFindsThePreviousVersionAfterAKillBeforeTheCommit() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let first = try root.store.putObject(bucket: "lab", key: "k", data: Data("acknowledged".utf8))
        try interruptOverwrite(root, key: "k", with: "never acknowledged, longer")

        let restarted = try TestRoot.openStore(at: root.url)
        let opened = try restarted.openObject(bucket: "lab", key: "k")
        #expect(opened.object == first)
        #expect(try FileHandle(fileDescriptor: dup(opened.descriptor)).readToEnd() == Data("acknowledged".utf8))
        #expect(try Data(contentsOf: root.buckets.appendingPathComponent("lab/k")) == Data("acknowledged".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path) == [])
    }

    /// Staging links or copies the version the row names, never the bytes a writer renamed into place
    /// and has not committed (and, killed, never will): by path, all three would take those.
    @Test func stagingTakesTheRowsVersionNotAnUncommittedFile() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        for key in ["linked", "batch", "copied"] {
            try root.store.putObject(bucket: "lab", key: key, data: Data("acknowledged \(key)".utf8))
            try interruptOverwrite(root, key: key, with: "never acknowledged, longer")
        }
        let staged = root.url.appendingPathComponent("staged")
        try root.store.linkObject(bucket: "lab", key: "linked", to: staged.appendingPathComponent("linked"))
        try root.store.linkObjects(bucket: "lab", keys: ["batch"], to: [staged.appendingPathComponent("batch")])
        try root.store.copyObjectData(bucket: "lab", key: "copied", to: staged.appendingPathComponent("copied"))
        for key in ["linked", "batch", "copied"] {
            #expect(try Data(contentsOf: staged.appendingPathComponent(key)) == Data("acknowledged \(key)".utf8), "\(key)")
            #expect(try Data(contentsOf: root.buckets.appendingPathComponent("lab/\(key)")) == Data("acknowledged \(key)".utf8))
        }
    }

    @Test func aRestartPutsBackEveryInterruptedVersionAndClearsWhatIsStale() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        try root.store.putObject(bucket: "lab", key: "overwritten", data: Data("old overwritten".utf8))
        try root.store.putObject(bucket: "lab", key: "deleted", data: Data("old deleted".utf8))
        try root.store.putObject(bucket: "lab", key: "untouched", data: Data("untouched".utf8))
        try interruptOverwrite(root, key: "overwritten", with: "new")
        // A kill inside a delete: the row is still there, its file is only under its set-aside name.
        let deleted = root.buckets.appendingPathComponent("lab/deleted")
        #expect(rename(deleted.path, try setAsideURL(root, bucket: "lab", key: "deleted").path) == 0)
        // A kill after a commit, before the set-aside name went: nothing to put back.
        try Data("stale".utf8).write(to: try setAsideURL(root, bucket: "lab", key: "untouched"))

        let restarted = try TestRoot.openStore(at: root.url)
        #expect(try restarted.finishInterruptedWrites() == 2)
        for (key, bytes) in [("overwritten", "old overwritten"), ("deleted", "old deleted"), ("untouched", "untouched")] {
            let file = root.buckets.appendingPathComponent("lab/\(key)")
            #expect(try Data(contentsOf: file) == Data(bytes.utf8), "\(key)")
            #expect(try restarted.headObject(bucket: "lab", key: key).etag == md5sum(file), "\(key)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path) == [])
        #expect(try restarted.finishInterruptedWrites() == 0)
    }

    @Test func overwritesAndDeletesLeaveNothingSetAside() throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        for version in 1...3 { try root.store.putObject(bucket: "lab", key: "k", data: Data("v\(version)".utf8)) }
        try root.store.putObjects(bucket: "lab", keys: ["k"], copyingFilesAt: [try root.makeFile("f", Data("batch".utf8))], workers: 1)
        try root.store.deleteObject(bucket: "lab", key: "k")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path) == [])
        #expect(root.tree().filter { $0.hasPrefix("buckets/") } == ["buckets/lab"])
    }

    /// Writers of different sizes, readers and a deleter on one key: every open object is one whole
    /// version with its own metadata (its bytes hash to its ETag and fill its size), or NoSuchKey.
    @Test func everyOpenedObjectIsOneWholeVersionWhateverRaces() async throws {
        let root = try TestRoot()
        try root.store.createBucket("lab")
        let store = root.store
        try await withThrowingTaskGroup(of: (read: Int, torn: Int).self) { group in
            for writer in 0..<3 {
                group.addTask {
                    for version in 0..<60 {
                        let bytes = Data(repeating: UInt8(writer * 60 + version), count: 1000 + 4096 * ((writer + version) % 7))
                        try store.putObject(bucket: "lab", key: "k", data: bytes)
                    }
                    return (0, 0)
                }
            }
            group.addTask {
                // Each delete is followed by a whole version again, so the key ends as an object: readers that
                // the cooperative pool runs only after the others (2 threads on this machine) still read one.
                for round in 0..<30 {
                    try store.deleteObject(bucket: "lab", key: "k")
                    try store.putObject(bucket: "lab", key: "k", data: Data(repeating: UInt8(200 + round % 50), count: 2048))
                }
                return (0, 0)
            }
            for _ in 0..<3 {
                group.addTask {
                    var (read, torn) = (0, 0)
                    for _ in 0..<100 {
                        let opened: S3OpenObject
                        do {
                            opened = try store.openObject(bucket: "lab", key: "k")
                        } catch let error as S3Error where error.code == "NoSuchKey" {
                            continue
                        }
                        let bytes = try FileHandle(fileDescriptor: dup(opened.descriptor)).readToEnd() ?? Data()
                        read += 1
                        let etag = try md5(bytes)
                        if Int64(bytes.count) != opened.object.size || Set(bytes).count > 1 || etag != opened.object.etag {
                            torn += 1
                        }
                    }
                    return (read, torn)
                }
            }
            var (read, torn) = (0, 0)
            for try await counts in group { (read, torn) = (read + counts.read, torn + counts.torn) }
            #expect(read > 0)
            #expect(torn == 0)
        }
    }

    @Test func temporaryFilesOfDeadWritersGoAndALiveWritersStay() throws {
        let root = try TestRoot()
        try FileManager.default.createDirectory(at: root.tmp, withIntermediateDirectories: true)
        let live = TemporaryFileName.make("http-put")
        let dead = "http-put.\(Int32.max).1.\(UUID().uuidString).part"
        let unnamedRecent = "http-put-\(UUID().uuidString).part"
        let unnamedOld = "s3-put-\(UUID().uuidString).part"
        for name in [live, dead, unnamedRecent, unnamedOld] {
            try Data(repeating: 1, count: 100).write(to: root.tmp.appendingPathComponent(name))
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)],
                                              ofItemAtPath: root.tmp.appendingPathComponent(unnamedOld).path)
        try FileManager.default.createDirectory(at: root.tmp.appendingPathComponent("multipart/abc"), withIntermediateDirectories: true)

        let removed = root.store.removeAbandonedTemporaryFiles()
        #expect(removed.files == 2 && removed.bytes == 200)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: root.tmp.path)) == [live, unnamedRecent, "multipart"])
        #expect(live.contains(".\(try #require(ProcessIdentity.current).pid)."))
    }
}

private func md5(_ bytes: Data) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("md5-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try bytes.write(to: file)
    return try md5sum(file)
}

/// The SHA-256 of a string as `sha256sum` computes it (an oracle independent of the store).
private func sha256sum(_ text: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}
