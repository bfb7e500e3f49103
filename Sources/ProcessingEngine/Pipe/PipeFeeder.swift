import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Feeds one Pipe-mode input of one instance: a FIFO at `{LocalPath}_0` into which the input's objects
/// are written, in the order given, concatenated (gunzipped one by one when the input is Gzip), while
/// the job reads. Bytes go from the objects' files straight into the pipe; nothing lands on the volume.
///
/// Lifecycle: `start()` before the instance starts (it creates the FIFO and starts the feeding thread);
/// `stop()` once the instance has exited. The feed ends on its own when the last object is written (the
/// job then reads end of file) or when the job closes its end early. A job that never opens the pipe
/// costs a thread that looks every 20 ms whether it has been stopped.
public final class PipeFeeder: @unchecked Sendable {  // mutable state behind `lock`
    /// The host path of the FIFO.
    public let fifo: URL
    /// The objects to feed, in feeding order (sharded and sorted by the caller).
    public let objects: [S3URI]
    /// Whether each object is gunzipped as it streams (S3CompressionType Gzip).
    public let gzip: Bool
    private let s3: S3Store
    private let lock = NSLock()
    private var stopRequested = false
    private var outcome: PipeFeedOutcome?
    private var thread: Thread?
    private var node: FifoNode?
    private let finished = DispatchSemaphore(value: 0)

    /// The container path of an input's FIFO: `{LocalPath}_0` (one pass; spec §12).
    public static func containerPath(forLocalPath localPath: String) -> String {
        var path = localPath
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path + "_0"
    }

    /// A feeder of `objects` into a FIFO to be created at `fifo`.
    public init(fifo: URL, objects: [S3URI], gzip: Bool, s3: S3Store) {
        self.fifo = fifo
        self.objects = objects
        self.gzip = gzip
        self.s3 = s3
    }

    /// Checks that every object exists, creates the FIFO (replacing whatever is at its path) and starts
    /// the feeding thread. Throws before anything is started when an object is missing.
    public func start() throws(PipeFeedError) {
        for object in objects {
            do {
                _ = try s3.headObject(bucket: object.bucket, key: object.key)
            } catch {
                throw PipeFeedError(kind: .download, object: object, detail: Self.describe(error))
            }
        }
        let node = try FifoNode(creatingAt: fifo)
        lock.withLock { self.node = node }
        let thread = Thread { [self] in
            FifoWriter.shieldFromBrokenPipe()
            let result = feed()
            lock.withLock { outcome = result }
            finished.signal()
        }
        thread.name = "sagebox pipe \(fifo.lastPathComponent)"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Waits at most `seconds` for the feed to end on its own; nil if it is still going.
    public func waitUntilFinished(seconds: Double) -> PipeFeedOutcome? {
        guard finished.wait(timeout: .now() + seconds) == .success else { return nil }
        finished.signal()  // later waits and `stop()` return at once
        return lock.withLock { outcome }
    }

    /// Ends the feed (within about 20 ms), closes sagebox's end, removes the FIFO and tells how the feed
    /// ended. Call it when the instance has exited; calling it again returns the same outcome.
    @discardableResult
    public func stop() -> PipeFeedOutcome {
        let started = lock.withLock { () -> Bool in
            stopRequested = true
            return thread != nil
        }
        guard started else { return .neverOpened }
        finished.wait()
        finished.signal()
        lock.withLock { node }?.remove()
        return lock.withLock { outcome ?? .neverOpened }
    }

    private var isStopRequested: Bool { lock.withLock { stopRequested } }

    /// The feeding thread's work: wait for a reader, then write every object.
    private func feed() -> PipeFeedOutcome {
        let writer: FifoWriter
        guard let node = lock.withLock({ self.node }) else { return .neverOpened }
        switch FifoWriter.openOnceRead(node.openablePath, stopped: { isStopRequested }) {
        case let .opened(opened): writer = opened
        case .stopped: return .neverOpened
        case let .failed(detail): return .failed(PipeFeedError(kind: .pipe, object: nil, detail: detail))
        }
        defer { writer.closeEnd() }  // the reader sees end of file
        var written: Int64 = 0
        for object in objects {
            // Open, not by path: the FIFO gets one whole version, the one its row names, whatever overwrites it.
            let file: S3OpenObject
            do {
                file = try s3.openObject(bucket: object.bucket, key: object.key)
            } catch {
                return .failed(PipeFeedError(kind: .download, object: object, detail: Self.describe(error)))
            }
            var ending: FifoWriter.Writing = .written
            let sink = { (bytes: UnsafeRawBufferPointer) -> Bool in
                let result = writer.writeAll(bytes, stopped: { self.isStopRequested })
                ending = result.ending
                written += Int64(result.count)
                if case .written = ending { return true }
                return false
            }
            let read = withExtendedLifetime(file) {  // its descriptor closes with it
                gzip ? GzipObjectReader.stream(file.descriptor, into: sink) : PlainObjectReader.stream(file.descriptor, into: sink)
            }
            switch (read, ending) {
            case (.finished, _): continue
            case let (.failed(kind, detail), _): return .failed(PipeFeedError(kind: kind, object: object, detail: detail))
            case (.sinkRefused, .readerClosed): return .readerClosed(bytes: written)
            case (.sinkRefused, .stopped): return .stopped(bytes: written)
            case let (.sinkRefused, .failed(detail)): return .failed(PipeFeedError(kind: .pipe, object: object, detail: detail))
            case (.sinkRefused, .written): return .stopped(bytes: written)  // not reached: the sink refuses only after a failed write
            }
        }
        return .delivered(bytes: written)
    }

    /// `NoSuchKey: The specified key does not exist.` for S3's errors, the error's text otherwise.
    static func describe(_ error: any Error) -> String {
        if let s3Error = error as? S3Error { return "\(s3Error.code): \(s3Error.message)" }
        return "\(error)"
    }
}
