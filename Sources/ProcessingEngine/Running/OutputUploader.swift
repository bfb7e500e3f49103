import FakeS3
import Foundation
import SageMakerAPI

/// Uploads what the instances left under each output's LocalPath to `S3Uri/<relative path>`.
///
/// Regular files only: symbolic links are not followed and empty folders are not uploaded (S3 has no
/// folders). Every instance uploads to the same prefix, so equal relative paths overwrite each other in
/// host order, as on AWS. Files are moved into the store, not copied: the job is over (from a volume, another
/// file system, they are copied and hashed on every core, then published a batch per transaction). An
/// output whose folder holds another output's, or lies in one, is copied instead, so both upload its files.
struct OutputUploader {
    let s3: S3Store

    /// Uploads the outputs whose S3UploadMode is in `modes`; returns how many objects were published.
    @discardableResult
    func upload(_ outputs: [ProcessingOutput], modes: Set<String>, from folders: [InstanceFolder]) throws(StagingFailure) -> Int {
        var published = 0
        let outputFolders = outputs.compactMap { $0.s3Output?.localPath }.map(ProcessingLocalPath.normalized)
        for output in outputs {
            guard output.appManaged != true, let s3Output = output.s3Output, let localPath = s3Output.localPath,
                  modes.contains(s3Output.s3UploadMode ?? "") else { continue }
            let uriText = s3Output.s3Uri ?? ""
            guard let uri = S3URI(uriText) else {
                throw StagingFailure(reason: FailureReason.clientError("S3Uri \(uriText) of output \(output.outputName ?? "") is not an s3:// URI; sagebox serves s3:// URIs only."))
            }
            for folder in folders {
                let base = folder.hostURL(forContainerPath: localPath)
                let relatives = Self.regularFiles(under: base)
                let keys = relatives.map { uri.appending($0) }
                let sources = relatives.map { base.appending(path: $0) }
                let path = ProcessingLocalPath.normalized(localPath)
                let shared = outputFolders.contains { ProcessingLocalPath.isInside($0, path) || ProcessingLocalPath.isInside(path, $0) }
                do {
                    if shared {
                        try s3.putObjects(bucket: uri.bucket, keys: keys.map(\.key), copyingFilesAt: sources, workers: Self.workers)
                    } else {
                        try s3.putObjects(bucket: uri.bucket, keys: keys.map(\.key), movingFilesAt: sources, workers: Self.workers)
                    }
                } catch {
                    throw StagingFailure(reason: FailureReason.clientError("Failed to upload output \(output.outputName ?? "") to \(keys[error.index]): \(error.error)"))
                }
                published += keys.count
            }
        }
        return published
    }

    /// Threads copying and hashing at once: MD5 runs at about 800 MB/s on one core, so an upload off the
    /// volume is bound by hashing; one thread per core, at most 4.
    static let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

    /// The relative paths of the regular files below `folder`, in byte order, never through a link.
    static func regularFiles(under folder: URL) -> [String] {
        var found: [String] = []
        func walk(_ url: URL, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                var info = stat()
                let child = url.appending(path: name)
                guard lstat(child.path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: found.append(prefix + name)
                case S_IFDIR: walk(child, prefix + name + "/")
                default: continue  // links, FIFOs, sockets, devices
                }
            }
        }
        walk(folder, "")
        return found
    }
}
