import FakeS3
import Foundation
import SageMakerAPI

/// Stages File-mode inputs for one instance without copying bytes: the objects are hard-linked into a
/// staging folder, which the launcher mounts at the input's LocalPath as the read-only lower layer of
/// an overlay. The job can change or replace its input files; the overlay copies them up, so the
/// objects in the fake S3 never change.
struct InputStager {
    let s3: S3Store

    /// Stages File-mode inputs as overlays, and hands Pipe-mode inputs to `streams` as FIFO feeders.
    func stage(_ inputs: [ProcessingInput], hostIndex: Int, hostCount: Int, folder: InstanceFolder,
               streams: JobStreams) throws(StagingFailure) -> [InstanceProcess.Overlay] {
        var overlays: [InstanceProcess.Overlay] = []
        for (index, input) in inputs.enumerated() {
            guard input.appManaged != true, let s3Input = input.s3Input, let localPath = s3Input.localPath else { continue }
            let uriText = s3Input.s3Uri ?? ""
            guard let uri = S3URI(uriText) else {
                throw StagingFailure(reason: FailureReason.clientError("S3Uri \(uriText) of input \(input.inputName ?? "") is not an s3:// URI; sagebox serves s3:// URIs only."))
            }
            var objects = try InputObjects.resolve(s3Input, uri: uri, s3: s3)
            if s3Input.s3DataDistributionType == ProcessingS3DataDistributionType.shardedByS3Key.rawValue {
                objects = InputObjects.shard(objects, hostIndex: hostIndex, hostCount: hostCount)
            }
            if s3Input.s3InputMode == ProcessingS3InputMode.pipe.rawValue {
                streams.add(try pipeFeeder(for: objects, localPath: localPath, gzip: s3Input.s3CompressionType == ProcessingS3CompressionType.gzip.rawValue, folder: folder))
                continue
            }
            let name = "input-\(index + 1)"
            let lower = folder.staging.appending(path: name, directoryHint: .isDirectory)
            try link(objects, into: lower, inputName: input.inputName ?? name)
            let layers = folder.overlays.appending(path: name, directoryHint: .isDirectory)
            let overlay = InstanceProcess.Overlay(
                lower: lower, upper: layers.appending(path: "upper"), work: layers.appending(path: "work"), target: localPath)
            do {
                for url in [overlay.upper, overlay.work, folder.hostURL(forContainerPath: localPath)] {
                    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                }
            } catch {
                throw StagingFailure(reason: FailureReason.internalError("could not prepare \(localPath): \(error)"))
            }
            overlays.append(overlay)
        }
        return overlays
    }

    /// Pipe mode: the objects stream, in key order, into the FIFO `{LocalPath}_0`; nothing lands on the volume.
    private func pipeFeeder(for objects: [InputObject], localPath: String, gzip: Bool,
                            folder: InstanceFolder) throws(StagingFailure) -> PipeFeeder {
        let fifo = folder.hostURL(forContainerPath: PipeFeeder.containerPath(forLocalPath: localPath))
        do {
            try FileManager.default.createDirectory(at: fifo.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StagingFailure(reason: FailureReason.internalError("could not prepare \(localPath)_0: \(error)"))
        }
        let ordered = objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return PipeFeeder(fifo: fifo, objects: ordered.map { S3URI(bucket: $0.bucket, key: $0.key) }, gzip: gzip, s3: s3)
    }

    private func link(_ objects: [InputObject], into lower: URL, inputName: String) throws(StagingFailure) {
        do {
            try FileManager.default.createDirectory(at: lower, withIntermediateDirectories: true)
        } catch {
            throw StagingFailure(reason: FailureReason.internalError("could not create \(lower.path): \(error)"))
        }
        var destinations: [URL] = []
        destinations.reserveCapacity(objects.count)
        for object in objects {
            let segments = object.relativePath.split(separator: "/", omittingEmptySubsequences: false)
            // Keys such as `a//b` or `a/./b` have no faithful local path; AWS's downloader fails on them too.
            guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                throw StagingFailure(reason: FailureReason.clientError("Input \(inputName): the key \(object.key) cannot be written as a local file path."))
            }
            destinations.append(lower.appending(path: object.relativePath))
        }
        // One batch per run of objects in the same bucket (a manifest's objects share one; keep any order).
        var start = 0
        while start < objects.count {
            let bucket = objects[start].bucket
            let end = objects[start...].firstIndex { $0.bucket != bucket } ?? objects.endIndex
            do {
                try s3.linkObjects(bucket: bucket, keys: objects[start..<end].map(\.key), to: Array(destinations[start..<end]))
            } catch {
                let object = objects[start + error.index]
                throw StagingFailure(reason: FailureReason.clientError("Data download failed: unable to stage s3://\(object.bucket)/\(object.key) for input \(inputName): \(error.error)"))
            }
            start = end
        }
    }
}
