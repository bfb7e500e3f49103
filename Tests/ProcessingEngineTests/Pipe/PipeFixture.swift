import FakeS3
import Foundation
import ProcessingEngine

/// A fresh sagebox root with a bucket `lab`, and an instance's `opt-ml` folder for the FIFOs.
struct PipeFixture {
    let root: SageboxRoot
    let optML: URL

    init() throws {
        let url = FileManager.default.temporaryDirectory.appending(path: "sagebox-pipe-\(UUID().uuidString)")
        root = try SageboxRoot(url: url)
        _ = try root.s3.createBucket("lab")
        optML = url.appending(path: "jobs/job/algo-1/opt-ml", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: optML, withIntermediateDirectories: true)
    }

    /// The host path of the FIFO of the input at /opt/ml/processing/input/data.
    var fifo: URL {
        optML.appending(path: String(PipeFeeder.containerPath(forLocalPath: "/opt/ml/processing/input/data").dropFirst("/opt/ml/".count)))
    }

    /// Stores `data` as lab/`key` and returns its URI.
    @discardableResult
    func put(_ key: String, _ data: Data) throws -> S3URI {
        _ = try root.s3.putObject(bucket: "lab", key: key, data: data)
        return S3URI(bucket: "lab", key: key)
    }

    /// Stores the gzip (made by the `gzip` command) of `data` as lab/`key`.
    @discardableResult
    func putGzipped(_ key: String, _ data: Data) throws -> S3URI {
        let plain = root.temporaryURL.appending(path: "plain-\(UUID().uuidString)")
        try data.write(to: plain)
        let result = try ScriptProcess.run("gzip -c '\(plain.path)' > '\(plain.path).gz'")
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { try? FileManager.default.removeItem(at: plain); try? FileManager.default.removeItem(atPath: plain.path + ".gz") }
        _ = try root.s3.putObject(bucket: "lab", key: key, copyingFileAt: URL(filePath: plain.path + ".gz"))
        return S3URI(bucket: "lab", key: key)
    }

    func feeder(_ objects: [S3URI], gzip: Bool = false) -> PipeFeeder {
        PipeFeeder(fifo: fifo, objects: objects, gzip: gzip, s3: root.s3)
    }

    /// Deterministic, varied bytes.
    static func bytes(_ count: Int, seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) })
    }
}
