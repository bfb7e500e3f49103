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
    /// What each instance may upload, in bytes as S3 counts them (a sparse file at its full size): its
    /// volume's size (`VolumeSizing`), so the host's disk never takes more from a job than the job's
    /// volumes could hold.
    var instanceLimitBytes: UInt64 = .max

    struct Report {
        /// How many objects were published.
        var published = 0
        /// Entries not uploaded, with the output's LocalPath: `(LocalPath, "name (why)")`.
        var passedOver: [(folder: String, entry: String)] = []
    }

    /// One output's files in one instance's folder.
    private struct Batch {
        var output: ProcessingOutput
        var uri: S3URI
        var shared: Bool
        var base: ContainedPath
        var relatives: [String]
    }

    /// Uploads the outputs whose S3UploadMode is in `modes`. Every file is measured first, and nothing is
    /// uploaded when an instance's files add up to more than `instanceLimitBytes`.
    func upload(_ outputs: [ProcessingOutput], modes: Set<String>, from folders: [InstanceFolder]) throws(StagingFailure) -> Report {
        var report = Report()
        var batches: [Batch] = []
        var totals = Array(repeating: UInt64(0), count: folders.count)
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
            for (index, folder) in folders.enumerated() {
                let base = folder.containedPath(forContainerPath: path)
                let files = OutputTree.regularFiles(under: base, passedOver: { entry, why in
                    report.passedOver.append((path, "\(entry) (\(why))"))
                })
                for file in files {
                    totals[index] += UInt64(max(0, file.signature.size))
                    if totals[index] > instanceLimitBytes {
                        throw StagingFailure(reason: oversized(path + "/" + file.path, at: base.url.appending(path: file.path),
                                                               host: folder.url.lastPathComponent, total: totals[index]))
                    }
                }
                batches.append(Batch(output: output, uri: uri, shared: shared, base: base, relatives: files.map(\.path)))
            }
        }
        for batch in batches {
            let keys = batch.relatives.map { batch.uri.appending($0) }
            let sources = batch.relatives.map { batch.base.url.appending(path: $0) }
            do {
                if batch.shared {
                    try s3.putObjects(bucket: batch.uri.bucket, keys: keys.map(\.key), copyingFilesAt: sources, workers: Self.workers)
                } else {
                    try s3.putObjects(bucket: batch.uri.bucket, keys: keys.map(\.key), movingFilesAt: sources, workers: Self.workers)
                }
            } catch {
                throw StagingFailure(reason: FailureReason.clientError("Failed to upload output \(batch.output.outputName ?? "") to \(keys[error.index]): \(error.error)"))
            }
            report.published += keys.count
        }
        return report
    }

    /// The refusal of an instance's outputs that add up to more than its volume, naming the file that
    /// crossed the line. Refused rather than uploaded: S3 has no holes, so a sparse file would cost its
    /// full size to hash (and to every client that downloads it), however little of it is on disk.
    private func oversized(_ containerPath: String, at file: URL, host: String, total: UInt64) -> String {
        var info = stat()
        let sizes = lstat(file.path, &info) == 0
            ? "\(ByteCount(bytes: UInt64(info.st_size))), \(ByteCount(bytes: UInt64(info.st_blocks) * 512)) of it on disk"
            : "too large"
        return FailureReason.clientError("Output file \(containerPath) of \(host) (\(sizes)) brings that instance's outputs to \(ByteCount(bytes: total)), more than its \(ByteCount(bytes: instanceLimitBytes)) volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte. Nothing was uploaded.")
    }

    /// Threads copying and hashing at once: MD5 runs at about 800 MB/s on one core, so an upload off the
    /// volume is bound by hashing; one thread per core, at most 4.
    static let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
}
