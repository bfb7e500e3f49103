import FakeS3
import Foundation
import ProcessingEngine

/// A fresh sagebox root with a bucket `lab`, and the host folder of one Continuous output.
struct ContinuousFixture {
    let root: SageboxRoot
    /// The host folder of LocalPath /opt/ml/processing/output/checkpoints.
    let folder: URL
    /// The same, as the engine reaches it: below the instance's opt-ml, without following links.
    let output: ContainedPath
    /// A folder outside the output, for files the test keeps to itself.
    let outside: URL
    let destination = S3URI(bucket: "lab", key: "run/checkpoints")

    init() throws {
        let url = FileManager.default.temporaryDirectory.appending(path: "sagebox-continuous-\(UUID().uuidString)")
        root = try SageboxRoot(url: url)
        _ = try root.s3.createBucket("lab")
        output = ContainedPath(base: url.appending(path: "jobs/job/algo-1/opt-ml", directoryHint: .isDirectory),
                               relative: "processing/output/checkpoints")
        folder = output.url
        outside = url.appending(path: "outside", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    }

    func uploader(watching: ContinuousUploader.Watching = .inotify) throws -> ContinuousUploader {
        let uploader = ContinuousUploader(folder: output, destination: destination, s3: root.s3, watching: watching)
        try uploader.start()
        return uploader
    }

    /// The bytes of the object `run/checkpoints/<relative>`, or nil while there is none.
    func object(_ relative: String) -> Data? {
        guard let file = try? root.s3.getObject(bucket: "lab", key: destination.appending(relative).key) else { return nil }
        return try? Data(contentsOf: file.url)
    }

    /// Waits until the object of `relative` holds `expected`; false after `seconds`.
    func waitFor(_ relative: String, _ expected: Data, seconds: Double = 3) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if object(relative) == expected { return true }
            usleep(20_000)
        }
        return object(relative) == expected
    }

    var keys: [String] {
        var keys: [String] = []
        try? root.s3.forEachObject(bucket: "lab") { keys.append($0.key) }
        return keys
    }
}
