import FakeS3
import Foundation
import SageMakerAPI

/// Stages File-mode inputs for one instance without copying bytes: the objects are hard-linked into a
/// staging folder, which the launcher mounts at the input's LocalPath as the read-only lower layer of
/// an overlay. The job can change or replace its input files; the overlay copies them up, so the
/// objects in the fake S3 never change. Inputs nested in another's folder share its overlay
/// (`StagingLayout`).
struct InputStager {
    let s3: S3Store

    /// What staging made for one instance.
    struct Staged {
        var overlays: [InstanceProcess.Overlay] = []
        /// What the timeline should say: inputs whose files replaced another's, objects under an output.
        var notes: [String] = []
        /// How many objects were staged (files and Pipe-mode objects).
        var objects = 0
    }

    /// Stages File-mode inputs as overlays, and hands Pipe-mode inputs to `streams` as FIFO feeders.
    func stage(_ inputs: [ProcessingInput], layout: StagingLayout, hostIndex: Int, hostCount: Int,
               folder: InstanceFolder, streams: JobStreams) throws(StagingFailure) -> Staged {
        var objectsByInput: [Int: [InputObject]] = [:]
        var objectCount = 0
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
            objectCount += objects.count
            if s3Input.s3InputMode == ProcessingS3InputMode.pipe.rawValue {
                streams.add(try pipeFeeder(for: objects, localPath: localPath, gzip: s3Input.s3CompressionType == ProcessingS3CompressionType.gzip.rawValue, folder: folder))
            } else {
                objectsByInput[index] = objects
            }
        }
        var staged = Staged()
        staged.objects = objectCount
        for tree in layout.trees {
            staged.overlays.append(try stage(tree, of: inputs, objects: objectsByInput, layout: layout, folder: folder,
                                             notes: &staged.notes))
        }
        return staged
    }

    /// Merges the tree's inputs into one lower layer and prepares its overlay. Objects that fall in an
    /// output folder bound over the tree are copied there (the job may write them in place), and any at
    /// the very path of such a folder or of a Pipe FIFO give way to it.
    private func stage(_ tree: StagingLayout.Tree, of inputs: [ProcessingInput], objects: [Int: [InputObject]],
                       layout: StagingLayout, folder: InstanceFolder,
                       notes: inout [String]) throws(StagingFailure) -> InstanceProcess.Overlay {
        func inputName(_ index: Int) -> String { inputs[index].inputName ?? "input-\(index + 1)" }
        var merged = StagingTree()
        for member in tree.members {
            let replaced = merged.add(objects[member.input] ?? [], under: member.offset)
            if !replaced.isEmpty {
                notes.append("Input \(inputName(member.input)) at \(tree.localPath)/\(member.offset) replaces "
                    + "\(replaced.count) file(s) of the input(s) around it at the same paths (the inner input wins)")
            }
        }
        var linked: [(path: String, object: InputObject)] = []
        var copiedInto: [String: Int] = [:]  // output folder -> files copied into it
        for file in merged.files {
            let containerPath = tree.localPath + "/" + file.path
            guard let bind = layout.hostBinds.first(where: { $0 == containerPath || ProcessingLocalPath.isInside(containerPath, $0) }) else {
                linked.append(file)
                continue
            }
            if bind == containerPath {  // the output folder or FIFO needs the path itself
                notes.append("\(bind) takes the place of s3://\(file.object.bucket)/\(file.object.key)")
            } else {
                try copy(file.object, to: folder.hostURL(forContainerPath: containerPath), inputName: inputName(tree.root))
                copiedInto[bind, default: 0] += 1
            }
        }
        for (bind, count) in copiedInto.sorted(by: { $0.key < $1.key }) {
            notes.append("\(count) staged file(s) under the output folder \(bind) are copies, which the job may change")
        }
        let name = "input-\(tree.root + 1)"
        let lower = folder.staging.appending(path: name, directoryHint: .isDirectory)
        try link(linked, into: lower, inputName: inputName(tree.root))
        let layers = folder.overlays.appending(path: name, directoryHint: .isDirectory)
        let overlay = InstanceProcess.Overlay(
            lower: lower, upper: layers.appending(path: "upper"), work: layers.appending(path: "work"), target: tree.localPath)
        do {
            for url in [overlay.upper, overlay.work, folder.hostURL(forContainerPath: tree.localPath)] {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
        } catch {
            throw StagingFailure(reason: FailureReason.internalError("could not prepare \(tree.localPath): \(error)"))
        }
        return overlay
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

    /// Keys such as `a//b` or `a/./b` have no faithful local path; AWS's downloader fails on them too.
    private static func checkLocalPath(of object: InputObject, inputName: String) throws(StagingFailure) {
        let segments = object.relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw StagingFailure(reason: FailureReason.clientError("Input \(inputName): the key \(object.key) cannot be written as a local file path."))
        }
    }

    /// A copy, never a link: the job may write the file in place.
    private func copy(_ object: InputObject, to destination: URL, inputName: String) throws(StagingFailure) {
        try Self.checkLocalPath(of: object, inputName: inputName)
        do {
            try s3.copyObjectData(bucket: object.bucket, key: object.key, to: destination)
        } catch {
            throw StagingFailure(reason: FailureReason.clientError("Data download failed: unable to stage s3://\(object.bucket)/\(object.key) for input \(inputName): \(error)"))
        }
    }

    private func link(_ files: [(path: String, object: InputObject)], into lower: URL, inputName: String) throws(StagingFailure) {
        do {
            try FileManager.default.createDirectory(at: lower, withIntermediateDirectories: true)
        } catch {
            throw StagingFailure(reason: FailureReason.internalError("could not create \(lower.path): \(error)"))
        }
        let objects = files.map(\.object)
        var destinations: [URL] = []
        destinations.reserveCapacity(files.count)
        for (path, object) in files {
            try Self.checkLocalPath(of: object, inputName: inputName)
            destinations.append(lower.appending(path: path))
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
