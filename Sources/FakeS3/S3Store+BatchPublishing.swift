import Foundation
import GRDB
import Synchronization

extension S3Store {
    /// Objects published per write transaction by `putObjects`: one commit (one WAL sync, about 0.4 ms
    /// here) per batch rather than per object, while a batch's files stay few enough to be in flight at once.
    static let publishingBatchSize = 64

    /// `putObject(bucket:key:movingFileAt:)` for many files into one bucket: `sources[i]` becomes
    /// `keys[i]`. The files are copied and hashed (or linked) by `workers` threads at once, then each
    /// batch is published in one write transaction, every object in a savepoint of its own, so each
    /// object still appears atomically (row and bytes together) and a failure leaves the ones before
    /// it published and the rest untouched. Throws `S3BatchFailure` with the index of the first file
    /// that was not published; the sources of published objects no longer exist.
    public func putObjects(bucket: String, keys: [String], movingFilesAt sources: [URL], workers: Int) throws(S3BatchFailure) {
        try putObjects(bucket: bucket, keys: keys, sources: sources, moving: true, workers: workers)
    }

    /// `putObjects(bucket:keys:movingFilesAt:workers:)` that copies every file and leaves the sources
    /// where they are (a file two outputs' folders share is uploaded by both).
    public func putObjects(bucket: String, keys: [String], copyingFilesAt sources: [URL], workers: Int) throws(S3BatchFailure) {
        try putObjects(bucket: bucket, keys: keys, sources: sources, moving: false, workers: workers)
    }

    private func putObjects(bucket: String, keys: [String], sources: [URL], moving: Bool, workers: Int) throws(S3BatchFailure) {
        precondition(keys.count == sources.count, "one source per key")
        var start = 0
        while start < keys.count {
            let end = min(start + Self.publishingBatchSize, keys.count)
            try putBatch(bucket: bucket, keys: keys, sources: sources, range: start..<end, moving: moving, workers: workers)
            start = end
        }
    }

    private func putBatch(bucket: String, keys: [String], sources: [URL], range: Range<Int>, moving: Bool,
                          workers: Int) throws(S3BatchFailure) {
        do {
            try BucketNameRules.validate(bucket)
            guard try bucketExists(bucket) else { throw S3Error.noSuchBucket(bucket) }
        } catch {
            throw S3BatchFailure(index: range.lowerBound, error: error)
        }
        for index in range {
            do { try ObjectKeyRules.validate(keys[index], bucket: bucket) } catch { throw S3BatchFailure(index: index, error: error) }
        }
        let temporaryPaths = range.map { _ in newTemporaryPath() }
        defer { for path in temporaryPaths { try? PosixFiles.removeFile(path) } }
        let digests = takeFiles(sources: Array(sources[range]), into: temporaryPaths,
                                resources: range.map { "/\(bucket)/\(keys[$0])" }, linking: moving, workers: workers)
        let taken = digests.firstIndex { if case .failure = $0 { true } else { false } } ?? digests.count

        var published = 0
        var failure: (any Error)?
        var setAside: [String] = []
        let layout = layout(of: bucket)
        do {
            try writeTransaction { db in
                try requireBucket(db, bucket)
                for offset in 0..<taken {
                    let index = range.lowerBound + offset
                    do {
                        try db.inSavepoint {
                            let replaced = try publishRow(db, layout: layout, bucket: bucket, key: keys[index], temporaryPath: temporaryPaths[offset],
                                                          digest: try digests[offset].get(), contentType: nil, userMetadata: [:]).setAside
                            setAside += [replaced].compactMap { $0 }
                            return .commit
                        }
                    } catch {
                        failure = error
                        break
                    }
                    published += 1
                }
            }
        } catch {
            throw S3BatchFailure(index: range.lowerBound, error: fileErrorsAsS3(error, resource: "/\(bucket)/\(keys[range.lowerBound])"))
        }
        removeSetAside(setAside)
        if moving {
            for offset in 0..<published { try? PosixFiles.removeFile(sources[range.lowerBound + offset].path) }
        }
        let index = range.lowerBound + published
        if let failure {
            throw S3BatchFailure(index: index, error: fileErrorsAsS3(failure, resource: "/\(bucket)/\(keys[index])"))
        }
        if taken < digests.count, case let .failure(error) = digests[taken] {
            throw S3BatchFailure(index: index, error: error)
        }
    }

    /// Runs `takeFile` for every source on `workers` threads; the results are in the sources' order.
    private func takeFiles(sources: [URL], into temporaryPaths: [String], resources: [String], linking: Bool,
                           workers: Int) -> [Result<FileDigest, any Error>] {
        let next = Mutex(0)
        let results = Mutex([Result<FileDigest, any Error>?](repeating: nil, count: sources.count))
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, sources.count))) { _ in
            while true {
                let index = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < sources.count else { return }
                let result = Result { () throws(any Error) -> FileDigest in
                    try fileErrorsAsS3(resource: resources[index]) {
                        try takeFile(at: sources[index], into: temporaryPaths[index], resource: resources[index], linking: linking)
                    }
                }
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    private func fileErrorsAsS3(_ error: any Error, resource: String) -> any Error {
        if let error = error as? FileSystemError { return S3Error.internalError(error.description, resource: resource) }
        return error
    }

    private func fileErrorsAsS3<T>(resource: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw fileErrorsAsS3(error, resource: resource) }
    }
}
