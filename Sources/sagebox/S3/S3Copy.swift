import ArgumentParser
import FakeS3
import Foundation

/// `sagebox s3 cp`: local file → object, object → local file, object → object; `--recursive` for folders
/// and prefixes.
struct S3Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp", abstract: "Copy a file to or from the fake S3, or between objects.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A local path, s3://bucket/key, or - for standard input.")
    var source: String

    @Argument(help: "A local path, s3://bucket/key (a trailing / means: into this folder or prefix), or - for standard output.")
    var destination: String

    @Flag(help: "Copy every file under a local folder, or every object under a prefix.")
    var recursive = false

    func validate() throws {
        // `-` streams, as with `aws s3 cp`, whose text this is.
        if recursive && (source == "-" || destination == "-") {
            throw ValidationError("Streaming currently is only compatible with non-recursive cp commands")
        }
    }

    func run() throws {
        let s3 = try global.open().s3
        switch (source.hasPrefix("s3://"), destination.hasPrefix("s3://")) {
        case (false, true): try upload(s3, to: try s3Argument(destination))
        case (true, false): try download(s3, from: try s3Argument(source))
        case (true, true): try copy(s3, from: try s3Argument(source, requireKey: true), to: try s3Argument(destination))
        case (false, false): throw ValidationError("One of the two paths must be an s3:// URI.")
        }
    }

    private func upload(_ s3: S3Store, to target: S3Location) throws {
        if source == "-" { return try uploadStandardInput(s3, to: target) }
        let local = URL(filePath: source)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: local.path, isDirectory: &isFolder) else {
            throw CommandFailure("The user-provided path \(source) does not exist.")
        }
        let files: [(URL, S3Location)]
        if isFolder.boolValue {
            guard recursive else { throw CommandFailure("\(source) is a folder: use --recursive.") }
            files = LocalFiles.regularFiles(under: local).map { (local.appending(path: $0), target.appending($0)) }
        } else {
            files = [(local, target.key.isEmpty || target.key.hasSuffix("/") ? target.appending(local.lastPathComponent) : target)]
        }
        for (file, key) in files {
            _ = try calling("PutObject") { try s3.putObject(bucket: key.bucket, key: key.key, copyingFileAt: file) }
            Output.line("upload: \(file.path) to \(key)")
        }
    }

    /// Standard input to one object, through a temporary file (the store takes files).
    private func uploadStandardInput(_ s3: S3Store, to target: S3Location) throws {
        guard !target.key.isEmpty, !target.key.hasSuffix("/") else {
            throw ValidationError("Uploading from standard input needs a full object key, not a prefix.")
        }
        let file = FileManager.default.temporaryDirectory.appending(path: "sagebox-stdin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CommandFailure("cannot write \(file.path)")
        }
        let writer = try FileHandle(forWritingTo: file)
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty { try writer.write(contentsOf: chunk) }
        try writer.close()
        _ = try calling("PutObject") { try s3.putObject(bucket: target.bucket, key: target.key, copyingFileAt: file) }
    }

    private func download(_ s3: S3Store, from origin: S3Location) throws {
        if destination == "-" {
            // Open, not by path: one whole version, whatever writes of the key race this.
            let object = try calling("GetObject") { try s3.openObject(bucket: origin.bucket, key: origin.key) }
            try withExtendedLifetime(object) {  // its descriptor closes with it
                let reader = FileHandle(fileDescriptor: object.descriptor, closeOnDealloc: false)
                while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty { try FileHandle.standardOutput.write(contentsOf: chunk) }
            }
            return
        }
        let local = URL(filePath: destination)
        let pairs: [(String, URL)]
        if recursive {
            pairs = try calling("ListObjectsV2") { try s3.allKeys(bucket: origin.bucket, prefix: origin.key) }
                .filter { !$0.hasSuffix("/") }
                .map { ($0, local.appending(path: String($0.dropFirst(origin.key.count)).trimmingPrefix("/"))) }
        } else {
            var isFolder: ObjCBool = false
            let intoFolder = destination.hasSuffix("/")
                || (FileManager.default.fileExists(atPath: local.path, isDirectory: &isFolder) && isFolder.boolValue)
            let name = origin.key.split(separator: "/").last.map(String.init) ?? origin.key
            pairs = [(origin.key, intoFolder ? local.appending(path: name) : local)]
        }
        for (key, file) in pairs {
            // Copy beside the target, then rename: nobody sees half a file. The copy reads one whole
            // version through the store's checked open, whatever writes of the key race this.
            let partial = file.deletingLastPathComponent().appending(path: ".\(file.lastPathComponent).sagebox-partial")
            try? FileManager.default.removeItem(at: partial)
            try calling("GetObject") { try s3.copyObjectData(bucket: origin.bucket, key: key, to: partial) }
            guard rename(partial.path, file.path) == 0 else {
                throw CommandFailure("cannot write \(file.path): \(String(cString: strerror(errno)))")
            }
            Output.line("download: s3://\(origin.bucket)/\(key) to \(file.path)")
        }
    }

    private func copy(_ s3: S3Store, from origin: S3Location, to target: S3Location) throws {
        // The bytes of the version whose content type is copied, whatever writes of the source race this.
        let object = try calling("CopyObject") { try s3.openObject(bucket: origin.bucket, key: origin.key) }
        let key = target.key.isEmpty || target.key.hasSuffix("/")
            ? target.appending(origin.key.split(separator: "/").last.map(String.init) ?? origin.key) : target
        _ = try calling("CopyObject") {
            try s3.putObject(bucket: key.bucket, key: key.key, copying: object, contentType: object.object.contentType)
        }
        Output.line("copy: \(origin) to \(key)")
    }
}
