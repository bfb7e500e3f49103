import FakeS3
import Foundation
import SageMakerAPI

/// Uploads what the instances left under each output's LocalPath to `S3Uri/<relative path>`.
///
/// Regular files only: symbolic links are not followed and empty folders are not uploaded (S3 has no
/// folders). Every instance uploads to the same prefix, so equal relative paths overwrite each other in
/// host order, as on AWS. Files are moved into the store, not copied: the job is over.
struct OutputUploader {
    let s3: S3Store

    /// Uploads the outputs whose S3UploadMode is in `modes`; returns how many objects were published.
    @discardableResult
    func upload(_ outputs: [ProcessingOutput], modes: Set<String>, from folders: [InstanceFolder]) throws(StagingFailure) -> Int {
        var published = 0
        for output in outputs {
            guard output.appManaged != true, let s3Output = output.s3Output, let localPath = s3Output.localPath,
                  modes.contains(s3Output.s3UploadMode ?? "") else { continue }
            let uriText = s3Output.s3Uri ?? ""
            guard let uri = S3URI(uriText) else {
                throw StagingFailure(reason: FailureReason.clientError("S3Uri \(uriText) of output \(output.outputName ?? "") is not an s3:// URI; sagebox serves s3:// URIs only."))
            }
            for folder in folders {
                for relative in Self.regularFiles(under: folder.hostURL(forContainerPath: localPath)) {
                    let source = folder.hostURL(forContainerPath: localPath).appending(path: relative)
                    let key = uri.appending(relative)
                    do {
                        _ = try s3.putObject(bucket: key.bucket, key: key.key, movingFileAt: source)
                    } catch {
                        throw StagingFailure(reason: FailureReason.clientError("Failed to upload output \(output.outputName ?? "") to \(key): \(error)"))
                    }
                    published += 1
                }
            }
        }
        return published
    }

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
