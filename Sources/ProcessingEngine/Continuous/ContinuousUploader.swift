import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Uploads the files of one Continuous output of one instance while the job runs (spec §12): each file
/// goes to `S3Uri/<path relative to LocalPath>` as soon as it is closed after writing, and again each
/// time it changes. Symbolic links are not followed. Each upload publishes a snapshot copy atomically;
/// the job's file stays. Where inotify is unavailable, the folder is scanned every 0.5 s and a file
/// goes once its size and mtime have been stable for one second.
///
/// Lifecycle: `start()` before the instance starts; `finish()` at every terminal state (Completed,
/// Failed, Stopped), once the instance has exited: it stops the watcher and sweeps up every file whose
/// current content was not uploaded yet.
public final class ContinuousUploader: @unchecked Sendable {  // mutable state behind `lock`
    /// How changes are seen.
    public enum Watching: Sendable, Equatable {
        /// Close and move events from inotify.
        case inotify
        /// A scan every 0.5 s for files stable for one second.
        case polling
    }

    /// The output's LocalPath in the instance's folders.
    public let folder: ContainedPath
    /// The output's S3Uri.
    public let destination: S3URI
    private let s3: S3Store
    /// A file larger than this is not uploaded (its failure fails the job): the instance's volume size.
    /// Only a sparse file can be larger than its volume, and S3 stores every byte of it.
    private let maxFileBytes: UInt64
    private let preferred: Watching
    private let lock = NSLock()
    private var stopRequested = false
    private var uploaded: [String: FileSignature] = [:]
    private var failures: [String: ContinuousUploadError] = [:]
    private var uploads = 0
    private var watching: Watching
    private var thread: Thread?
    private let watcherEnded = DispatchSemaphore(value: 0)

    /// An uploader of the files under `folder` to `destination`; `watching: .polling` forces the fallback.
    public init(folder: ContainedPath, destination: S3URI, s3: S3Store, maxFileBytes: UInt64 = .max, watching: Watching = .inotify) {
        self.folder = folder
        self.destination = destination
        self.s3 = s3
        self.maxFileBytes = maxFileBytes
        self.preferred = watching
        self.watching = watching
    }

    /// Creates the folder when missing and starts watching it on a thread of its own.
    public func start() throws {
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)  // before the job runs
        let thread = Thread { [self] in
            watch()
            watcherEnded.signal()
        }
        thread.name = "sagebox continuous \(destination)"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Stops the watcher (within about 0.1 s, plus an upload in progress), uploads every regular file
    /// whose current content was not uploaded yet, and reports. Call it after the instance exited; calling it again sweeps again.
    public func finish() -> ContinuousUploadReport {
        let started = lock.withLock { () -> Bool in
            stopRequested = true
            return thread != nil
        }
        if started {
            watcherEnded.wait()
            watcherEnded.signal()  // a second call does not wait forever
        }
        var skipped: [String] = []
        for file in OutputTree.regularFiles(under: folder, passedOver: { skipped.append("\($0) (\($1))") }) { upload(file.path) }
        return lock.withLock {
            ContinuousUploadReport(uploads: uploads, errors: failures.keys.sorted().compactMap { failures[$0] }, watching: watching,
                                   passedOver: skipped)
        }
    }

    private var isStopRequested: Bool { lock.withLock { stopRequested } }

    /// The watcher thread: inotify where it can be had, polling otherwise.
    private func watch() {
        #if os(Linux)
        if preferred == .inotify, let watcher = InotifyWatcher(root: folder) {
            watcher.watchTree().forEach(upload)
            while !isStopRequested {
                watcher.next(waitingMilliseconds: 100).forEach(upload)
                // The job removed and recreated its output folder: watch the new one.
                if !watcher.watchesRoot { watcher.watchTree().forEach(upload) }
            }
            return
        }
        #endif
        lock.withLock { watching = .polling }
        var scanner = StableFileScanner(root: folder)
        while !isStopRequested {
            scanner.readyFiles(uploaded: { path in self.lock.withLock { self.uploaded[path] } }).forEach(upload)
            _ = poll(nil, 0, 500)
        }
    }

    /// Uploads `relative` if it is a regular file whose content differs from what was uploaded last.
    private func upload(_ relative: String) {
        guard let (fd, info) = NoFollowFile.openFile(folder.appending(relative)) else { return }
        defer { close(fd) }
        let signature = FileSignature(info)
        guard lock.withLock({ uploaded[relative] }) != signature else { return }
        let key = destination.appending(relative)
        if UInt64(max(0, signature.size)) > maxFileBytes {
            // Refused before a byte is read: hashing a 100 GB sparse file would take minutes.
            let detail = "it is \(ByteCount(bytes: UInt64(signature.size))), more than the instance's \(ByteCount(bytes: maxFileBytes)) volume (VolumeSizeInGB) could hold; a sparse file counts at its full size, as S3 stores every byte"
            return lock.withLock { failures[relative] = ContinuousUploadError(relativePath: relative, destination: key, detail: detail) }
        }
        do {
            try SnapshotUpload.publish(fd: fd, to: key, s3: s3)
            // The signature from before the copy: a change during the copy makes it differ, so the
            // next event or the final sweep uploads again.
            lock.withLock {
                uploaded[relative] = signature
                failures[relative] = nil
                uploads += 1
            }
        } catch {
            let detail = (error as? S3Error).map { "\($0.code): \($0.message)" } ?? "\(error)"
            lock.withLock { failures[relative] = ContinuousUploadError(relativePath: relative, destination: key, detail: detail) }
        }
    }
}
