import Crypto
import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Multipart uploads on disk: `<root>/tmp/multipart/<uploadId>/upload.json` plus one file per part
/// (`part-00001`, its MD5 kept on the file itself: `PartDigest`). Parts arrive as files received from
/// the request body and are renamed into place, so nothing is held in memory and a restart loses no
/// finished part (a part whose body was cut off never gets renamed). Complete hands the chosen parts to
/// the S3 store, which joins them into the object.
struct MultipartUploadStore: Sendable {
    /// Every part but the last must have at least this many bytes.
    static let minimumPartSize: Int64 = 5 * 1024 * 1024

    let folder: URL
    let temporaryFolder: URL

    init(temporaryFolder: URL) {
        self.temporaryFolder = temporaryFolder
        folder = temporaryFolder.appending(path: "multipart", directoryHint: .isDirectory)
    }

    func create(bucket: String, key: String, contentType: String?, userMetadata: [String: String]) throws -> MultipartUpload {
        let upload = MultipartUpload(uploadId: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                     bucket: bucket, key: key, contentType: contentType, userMetadata: userMetadata,
                                     initiated: Date().timeIntervalSince1970)
        let uploadFolder = folder(of: upload.uploadId)
        try FileManager.default.createDirectory(at: uploadFolder, withIntermediateDirectories: true)
        try JSONEncoder().encode(upload).write(to: uploadFolder.appending(path: "upload.json"), options: .atomic)
        return upload
    }

    /// The upload `id` of `bucket`/`key` in progress, or NoSuchUpload.
    func upload(_ id: String, bucket: String, key: String) throws -> MultipartUpload {
        guard let upload = try? load(id), upload.bucket == bucket, upload.key == key, upload.completedETag == nil else {
            throw S3Error.noSuchUpload("/\(bucket)/\(key)")
        }
        return upload
    }

    /// The quoted ETag of the object that upload `id` of `bucket`/`key` completed, or nil.
    func completedETag(_ id: String, bucket: String, key: String) -> String? {
        guard let upload = try? load(id), upload.bucket == bucket, upload.key == key else { return nil }
        return upload.completedETag
    }

    /// After Complete: the parts go, and what is left of the upload says which object it made.
    func markCompleted(_ upload: MultipartUpload, etag: String) {
        var completed = upload
        completed.completedETag = etag
        completed.completed = Date().timeIntervalSince1970
        let uploadFolder = folder(of: upload.uploadId)
        guard let data = try? JSONEncoder().encode(completed),
              (try? data.write(to: uploadFolder.appending(path: "upload.json"), options: .atomic)) != nil else {
            remove(upload)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: uploadFolder.path)) ?? [] where name != "upload.json" {
            try? FileManager.default.removeItem(at: uploadFolder.appending(path: name))
        }
    }

    /// Takes over `file` as part `number`, replacing an earlier upload of the same number. The part's
    /// MD5 goes with its file (`PartDigest`) and the file is renamed into place, so one rename switches
    /// bytes and MD5 together: of re-sends racing, the last rename wins whole, never one's bytes with
    /// another's MD5, and a kill leaves the old part or the new one.
    func savePart(_ file: UploadedFile, number: Int, of upload: MultipartUpload) throws {
        let path = folder(of: upload.uploadId).appending(path: Self.partName(number)).path
        if let md5 = file.md5Hex { PartDigest.record(md5, onFileAt: file.url.path) }
        guard rename(file.url.path, path) == 0 else {
            throw S3Error.internalError("rename \(file.url.path): errno \(errno)", resource: "/\(upload.bucket)/\(upload.key)")
        }
    }

    /// UploadPartCopy: bytes `range` of the object open as `source` become part `number`, so the part is
    /// that one version of the source whatever overwrites it meanwhile. Returns the part's MD5 hex.
    func copyPart(from source: S3OpenObject, range: ByteRange, number: Int, of upload: MultipartUpload) throws -> String {
        let resource = "/\(upload.bucket)/\(upload.key)"
        let target = temporaryFolder.appending(path: TemporaryFileName.make("http-part-copy"))
        defer { unlink(target.path) }
        var md5 = Insecure.MD5()
        try copy(source.descriptor, named: "/\(source.object.bucket)/\(source.object.key)", range: range, into: target,
                 resource: resource) { md5.update(data: $0) }
        let digest = md5.finalize().map { String(format: "%02x", $0) }.joined()
        try savePart(UploadedFile(url: target, size: range.length, md5Hex: digest), number: number, of: upload)
        return digest
    }

    /// The parts uploaded so far, by number.
    func parts(of upload: MultipartUpload) throws -> [UploadedPart] {
        let uploadFolder = folder(of: upload.uploadId)
        let names = try FileManager.default.contentsOfDirectory(atPath: uploadFolder.path)
        return names.compactMap { name -> UploadedPart? in
            // `part-00001` only: not the `.etag` files older versions kept beside the parts.
            guard name.hasPrefix("part-"), let number = Int(name.dropFirst(5)) else { return nil }
            return try? describe(uploadFolder.appending(path: name), number: number)
        }.sorted { $0.number < $1.number }
    }

    /// Checks the part list CompleteMultipartUpload sent against the parts uploaded (InvalidPartOrder,
    /// InvalidPart, EntityTooSmall, in S3's order) and returns the chosen parts, in order, each hard-linked
    /// into `snapshot` (a new folder; the caller removes it) before its MD5 is checked: a re-send of a
    /// part during Complete then changes neither the bytes joined nor their MD5.
    func chooseParts(of upload: MultipartUpload, requested: [(number: Int, etag: String)], snapshot: URL) throws -> [UploadedPart] {
        let resource = "/\(upload.bucket)/\(upload.key)"
        guard !requested.isEmpty else { throw S3Error.malformedXML(resource) }
        guard zip(requested, requested.dropFirst()).allSatisfy({ $0.number < $1.number }) else {
            throw S3Error.invalidPartOrder(resource)
        }
        // Fails only when an Abort removed the upload's folder since the caller found the upload.
        guard (try? FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: false)) != nil else {
            throw S3Error.noSuchUpload(resource)
        }
        var chosen: [UploadedPart] = []
        for (number, etag) in requested {
            let name = Self.partName(number)
            let linked = snapshot.appending(path: name)
            let bare = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard (1...10_000).contains(number), link(folder(of: upload.uploadId).appending(path: name).path, linked.path) == 0,
                  let part = try? describe(linked, number: number), part.etag == bare else {
                throw S3Error.invalidPart(resource)
            }
            chosen.append(part)
        }
        if chosen.dropLast().contains(where: { $0.size < Self.minimumPartSize }) { throw S3Error.entityTooSmall(resource) }
        return chosen
    }

    /// A new folder name for `chooseParts`' links, inside the upload's folder (so removed with it).
    func snapshotFolder(of upload: MultipartUpload) -> URL {
        folder(of: upload.uploadId).appending(path: "complete.\(UUID().uuidString)", directoryHint: .isDirectory)
    }

    /// Part `number` at `url`: its size and date, and its MD5 as recorded on the file, or computed from
    /// its bytes (a file system without user attributes, or a part saved by an older sagebox) and then
    /// recorded. Size and MD5 come from one open file, so they describe the same bytes.
    private func describe(_ url: URL, number: Int) throws -> UploadedPart {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw S3Error.internalError("open \(url.path): errno \(errno)", resource: url.path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw S3Error.internalError("stat \(url.path): errno \(errno)", resource: url.path) }
        let md5Hex: String
        if let recorded = PartDigest.read(descriptor) {
            md5Hex = recorded
        } else {
            var md5 = Insecure.MD5()
            try copy(descriptor, named: url.path, range: nil, into: nil, resource: url.path) { md5.update(data: $0) }
            md5Hex = md5.finalize().map { String(format: "%02x", $0) }.joined()
            PartDigest.record(md5Hex, onDescriptor: descriptor)
        }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return UploadedPart(number: number, etag: md5Hex, size: Int64(info.st_size), lastModified: modified, url: url)
    }

    private static func partName(_ number: Int) -> String {
        String(format: "part-%05d", number)
    }

    /// How long a completed upload's marker answers a repeated Complete: SDKs retry within minutes.
    static let completionMarkerLifetime: TimeInterval = 3600

    /// Removes the folders of uploads completed more than `lifetime` ago (by their marker's completion
    /// time, or for a marker without one, the time its `upload.json` was written): after that a repeated
    /// Complete is NoSuchUpload. Uploads in progress stay, as S3 keeps them until aborted. Returns how
    /// many were removed.
    @discardableResult
    func removeCompletionMarkers(olderThan lifetime: TimeInterval = completionMarkerLifetime, now: Date = Date()) -> Int {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed = 0
        for id in ids {
            guard let upload = try? load(id), upload.completedETag != nil else { continue }
            let marker = folder(of: id).appending(path: "upload.json").path
            let written = (try? FileManager.default.attributesOfItem(atPath: marker))?[.modificationDate] as? Date
            guard let completed = upload.completed ?? written?.timeIntervalSince1970,
                  now.timeIntervalSince1970 - completed > lifetime else { continue }
            if (try? FileManager.default.removeItem(at: folder(of: id))) != nil { removed += 1 }
        }
        return removed
    }

    /// Removes the upload and its parts (after Complete, or on Abort).
    func remove(_ upload: MultipartUpload) {
        try? FileManager.default.removeItem(at: folder(of: upload.uploadId))
    }

    /// Every upload in progress for `bucket`, by key then initiation time.
    func uploads(in bucket: String) -> [MultipartUpload] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return ids.compactMap { try? load($0) }.filter { $0.bucket == bucket && $0.completedETag == nil }
            .sorted { ($0.key.utf8.lexicographicallyPrecedes($1.key.utf8)) || ($0.key == $1.key && $0.initiated < $1.initiated) }
    }

    private func folder(of id: String) -> URL {
        folder.appending(path: id, directoryHint: .isDirectory)
    }

    private func load(_ id: String) throws -> MultipartUpload {
        // Upload ids are hex: anything else cannot name a folder of ours (no path tricks).
        guard !id.isEmpty, id.allSatisfy(\.isHexDigit) else { throw S3Error.noSuchUpload(id) }
        return try JSONDecoder().decode(MultipartUpload.self, from: Data(contentsOf: folder(of: id).appending(path: "upload.json")))
    }

    /// Writes bytes `range` (nil: all) of the file open as `source` into a new file `target` (nil:
    /// nowhere), passing each chunk to `observe` too.
    private func copy(_ source: Int32, named name: String, range: ByteRange?, into target: URL?, resource: String,
                      observe: (UnsafeRawBufferPointer) -> Void) throws {
        let out = target.map { open($0.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) } ?? -1
        if let target, out < 0 { throw S3Error.internalError("open \(target.path): errno \(errno)", resource: resource) }
        defer { if out >= 0 { close(out) } }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var position = range?.first ?? 0
        var remaining = range?.length ?? Int64.max
        while remaining > 0 {
            let want = Int(min(Int64(buffer.count), remaining))
            let count = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress!, want, off_t(position)) }
            if count == 0 { break }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw S3Error.internalError("read \(name): errno \(errno)", resource: resource) }
            try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                observe(chunk)
                var offset = 0
                while out >= 0, offset < count {
                    let written = write(out, chunk.baseAddress! + offset, count - offset)
                    guard written > 0 else { throw S3Error.internalError("write \(target?.path ?? ""): errno \(errno)", resource: resource) }
                    offset += written
                }
            }
            position += Int64(count)
            remaining -= Int64(count)
        }
    }
}
