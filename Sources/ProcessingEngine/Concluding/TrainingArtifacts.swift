import CArchive
import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A training job's artifacts, as SageMaker uploads them when the job ends (spec §4): `/opt/ml/model`
/// as `<S3OutputPath>/<job>/output/model.tar.gz` (its entries at the archive's root, as the SDK's local
/// mode makes them), and `/opt/ml/output/data`, when it holds anything, as `output.tar.gz` beside it.
/// Only the first instance's (algo-1) are uploaded, as the framework containers save the model there.
///
/// The files are found and opened as the outputs' are (`OutputTree`, `NoFollowFile`: no link followed,
/// links, FIFOs and devices passed over and named), measured first against the volume's size, and
/// archived from the descriptors opened, never from a path the job could have swapped.
struct TrainingArtifacts {
    let s3: S3Store
    let limitBytes: UInt64
    /// Where the archives are written before they are moved into the store (the root's tmp folder).
    let scratch: URL

    /// Uploads the archives under `prefix` (an s3:// URI) and returns the timeline's notes.
    func upload(from instance: InstanceFolder, to prefix: String) throws(StagingFailure) -> [String] {
        guard let uri = S3URI(prefix) else {
            throw StagingFailure(reason: FailureReason.clientError("S3OutputPath \(prefix) is not an s3:// URI; sagebox serves s3:// URIs only."))
        }
        var notes: [String] = []
        for (folder, name, always) in [("model", "model.tar.gz", true), ("output/data", "output.tar.gz", false)] {
            let base = instance.containedPath(forContainerPath: "/opt/ml/" + folder)
            var passed: [String] = []
            let files = OutputTree.regularFiles(under: base, passedOver: { path, why in passed.append("\(path) (\(why))") })
            notes += passed.map { "Not archived from /opt/ml/\(folder): \($0)" }
            guard always || !files.isEmpty else { continue }
            let total = files.reduce(UInt64(0)) { $0 + UInt64(max(0, $1.signature.size)) }
            guard total <= limitBytes else {
                throw StagingFailure(reason: FailureReason.clientError("/opt/ml/\(folder) holds \(ByteCount(bytes: total)), more than the instance's volume (\(ByteCount(bytes: limitBytes))): nothing was uploaded."))
            }
            let archive = scratch.appending(path: "\(UUID().uuidString).tar.gz")
            defer { try? FileManager.default.removeItem(at: archive) }
            do {
                try Self.writeTarGz(to: archive, files: files.map(\.path).sorted(), from: base)
                let key = uri.appending(name)
                try s3.putObject(bucket: key.bucket, key: key.key, movingFileAt: archive, contentType: "application/x-tar")
                notes.append("Uploaded \(files.count) file(s) of /opt/ml/\(folder) as \(key)")
            } catch let failure as StagingFailure {
                throw failure
            } catch {
                throw StagingFailure(reason: FailureReason.clientError("Failed to upload /opt/ml/\(folder) to \(uri.appending(name)): \(error)"))
            }
        }
        return notes
    }

    /// A gzip-compressed tar of `files` (paths relative to `base`), each read from a descriptor opened
    /// without following links; a file that is no longer a regular file is left out.
    static func writeTarGz(to url: URL, files: [String], from base: ContainedPath) throws {
        guard let archive = archive_write_new() else { throw EngineError.internal("archive_write_new failed") }
        defer { archive_write_free(archive) }
        archive_write_add_filter_gzip(archive)
        archive_write_set_format_pax_restricted(archive)
        guard archive_write_open_filename(archive, url.path) == sagebox_archive_ok else {
            throw EngineError.internal("cannot write \(url.path): \(String(cString: archive_error_string(archive)))")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        for path in files {
            guard let (fd, info) = NoFollowFile.openFile(base.appending(path)) else { continue }
            defer { close(fd) }
            guard let entry = archive_entry_new() else { throw EngineError.internal("archive_entry_new failed") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname(entry, path)
            archive_entry_set_size(entry, la_int64_t(info.st_size))
            archive_entry_set_filetype(entry, sagebox_ae_ifreg)
            archive_entry_set_perm(entry, mode_t(info.st_mode & 0o777))
            archive_entry_set_mtime(entry, time_t(info.st_mtim.tv_sec), 0)
            guard archive_write_header(archive, entry) == sagebox_archive_ok else {
                throw EngineError.internal("cannot archive \(path): \(String(cString: archive_error_string(archive)))")
            }
            // Exactly the size in the header: a file the job grew or shrank since is cut or padded.
            var remaining = Int(info.st_size)
            while remaining > 0 {
                let count = read(fd, buffer, min(remaining, 1 << 20))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                guard archive_write_data(archive, buffer, count) == count else {
                    throw EngineError.internal("cannot archive \(path): \(String(cString: archive_error_string(archive)))")
                }
                remaining -= count
            }
            if remaining > 0 {
                memset(buffer, 0, min(remaining, 1 << 20))
                while remaining > 0 {
                    let count = min(remaining, 1 << 20)
                    _ = archive_write_data(archive, buffer, count)
                    remaining -= count
                }
            }
        }
        guard archive_write_close(archive) == sagebox_archive_ok else {
            throw EngineError.internal("cannot finish \(url.path): \(String(cString: archive_error_string(archive)))")
        }
    }
}
