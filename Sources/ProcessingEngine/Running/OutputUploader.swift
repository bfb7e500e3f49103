import FakeS3
import Foundation
import SageMakerAPI

/// Uploads what the instances left under each output's LocalPath to `S3Uri/<relative path>`.
///
/// Regular files only: symbolic links are not followed, FIFOs, sockets and devices are passed over (and
/// named on the timeline), and empty folders are not uploaded (S3 has no folders). The files are found
/// from the volume's `opt-ml` with O_NOFOLLOW at every level (`OutputTree`), so an output folder the job
/// swapped for a link to a host folder uploads nothing; the paths found are then handed to the store,
/// which is safe because the job's processes are all gone by now (its process groups and cgroups were
/// killed) and nothing can swap them between the walk and the upload. Every instance uploads to the
/// same prefix, so equal relative paths overwrite each other in host order, as on AWS. Files are moved
/// into the store, not copied: the job is over (from a volume, another file system, they are copied and
/// hashed on every core, then published a batch per transaction). An output whose folder holds another
/// output's, or lies in one, is copied instead, so both upload its files.
struct OutputUploader {
    let s3: S3Store

    struct Report {
        /// How many objects were published.
        var published = 0
        /// Entries not uploaded, with the output's LocalPath: `(LocalPath, "name (why)")`.
        var passedOver: [(folder: String, entry: String)] = []
    }

    /// Uploads the outputs whose S3UploadMode is in `modes`.
    func upload(_ outputs: [ProcessingOutput], modes: Set<String>, from folders: [InstanceFolder]) throws(StagingFailure) -> Report {
        var report = Report()
        let outputFolders = outputs.compactMap { $0.s3Output?.localPath }.map(ProcessingLocalPath.normalized)
        for output in outputs {
            guard output.appManaged != true, let s3Output = output.s3Output, let localPath = s3Output.localPath,
                  modes.contains(s3Output.s3UploadMode ?? "") else { continue }
            let uriText = s3Output.s3Uri ?? ""
            guard let uri = S3URI(uriText) else {
                throw StagingFailure(reason: FailureReason.clientError("S3Uri \(uriText) of output \(output.outputName ?? "") is not an s3:// URI; sagebox serves s3:// URIs only."))
            }
            let path = ProcessingLocalPath.normalized(localPath)
            let shared = outputFolders.contains { ProcessingLocalPath.isInside($0, path) || ProcessingLocalPath.isInside(path, $0) }
            for folder in folders {
                let base = folder.containedPath(forContainerPath: path)
                let relatives = OutputTree.regularFiles(under: base, passedOver: { entry, why in
                    report.passedOver.append((path, "\(entry) (\(why))"))
                }).map(\.path)
                let keys = relatives.map { uri.appending($0) }
                let sources = relatives.map { base.url.appending(path: $0) }
                do {
                    if shared {
                        try s3.putObjects(bucket: uri.bucket, keys: keys.map(\.key), copyingFilesAt: sources, workers: Self.workers)
                    } else {
                        try s3.putObjects(bucket: uri.bucket, keys: keys.map(\.key), movingFilesAt: sources, workers: Self.workers)
                    }
                } catch {
                    throw StagingFailure(reason: FailureReason.clientError("Failed to upload output \(output.outputName ?? "") to \(keys[error.index]): \(error.error)"))
                }
                report.published += keys.count
            }
        }
        return report
    }

    /// Threads copying and hashing at once: MD5 runs at about 800 MB/s on one core, so an upload off the
    /// volume is bound by hashing; one thread per core, at most 4.
    static let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
}
