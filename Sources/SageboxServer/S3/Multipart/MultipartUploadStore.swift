import Crypto
import FakeS3
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Multipart uploads on disk: `<root>/tmp/multipart/<uploadId>/upload.json` plus one file per part
/// (`part-00001`, with its MD5 in `part-00001.etag`). Parts arrive as files received from the request
/// body and are renamed into place, so nothing is held in memory and a restart loses no finished part
/// (a part whose body was cut off never gets renamed). Complete hands the chosen parts to the S3
/// store, which joins them into the object.
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

    /// Takes over `file` as part `number` (replacing an earlier upload of the same number). The old MD5
    /// goes first and the new one is written last, so a server killed in between leaves a part without
    /// its `.etag`, whose MD5 `parts(of:)` then computes from the bytes: never a stale MD5.
    func savePart(_ file: UploadedFile, number: Int, of upload: MultipartUpload) throws {
        let base = folder(of: upload.uploadId).appending(path: String(format: "part-%05d", number))
        let etagFile = base.appendingPathExtension("etag")
        unlink(etagFile.path)
        guard rename(file.url.path, base.path) == 0 else {
            throw S3Error.internalError("rename \(file.url.path): errno \(errno)", resource: "/\(upload.bucket)/\(upload.key)")
        }
        try Data((file.md5Hex ?? "").utf8).write(to: etagFile, options: .atomic)
    }

    /// UploadPartCopy: bytes `range` of the file at `source` become part `number`. Returns the part's MD5 hex.
    func copyPart(from source: URL, range: ByteRange, number: Int, of upload: MultipartUpload) throws -> String {
        let resource = "/\(upload.bucket)/\(upload.key)"
        let target = temporaryFolder.appending(path: TemporaryFileName.make("http-part-copy"))
        defer { unlink(target.path) }
        var md5 = Insecure.MD5()
        try copy([(source, range)], into: target, resource: resource) { md5.update(data: $0) }
        let digest = md5.finalize().map { String(format: "%02x", $0) }.joined()
        try savePart(UploadedFile(url: target, size: range.length, md5Hex: digest), number: number, of: upload)
        return digest
    }

    /// The parts uploaded so far, by number.
    func parts(of upload: MultipartUpload) throws -> [UploadedPart] {
        let uploadFolder = folder(of: upload.uploadId)
        let names = try FileManager.default.contentsOfDirectory(atPath: uploadFolder.path)
        return names.compactMap { name -> UploadedPart? in
            guard name.hasPrefix("part-"), !name.hasSuffix(".etag"), let number = Int(name.dropFirst(5)) else { return nil }
            let url = uploadFolder.appending(path: name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  let etag = try? md5(ofPart: url) else { return nil }
            return UploadedPart(number: number, etag: etag, size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                                lastModified: attributes[.modificationDate] as? Date ?? Date(), url: url)
        }.sorted { $0.number < $1.number }
    }

    /// The part's MD5 from its `.etag` file, or computed from its bytes (and saved) when a restart
    /// came between the part's rename and its `.etag` (see `savePart`).
    private func md5(ofPart url: URL) throws -> String {
        let etagFile = url.appendingPathExtension("etag")
        if let saved = try? String(contentsOf: etagFile, encoding: .utf8) { return saved }
        var md5 = Insecure.MD5()
        try copy([(url, nil)], into: nil, resource: url.path) { md5.update(data: $0) }
        let digest = md5.finalize().map { String(format: "%02x", $0) }.joined()
        try Data(digest.utf8).write(to: etagFile, options: .atomic)
        return digest
    }

    /// Checks the part list CompleteMultipartUpload sent against the parts uploaded (InvalidPartOrder,
    /// InvalidPart, EntityTooSmall, in S3's order) and returns the chosen parts, in order.
    func chooseParts(of upload: MultipartUpload, requested: [(number: Int, etag: String)]) throws -> [UploadedPart] {
        let resource = "/\(upload.bucket)/\(upload.key)"
        guard !requested.isEmpty else { throw S3Error.malformedXML(resource) }
        guard zip(requested, requested.dropFirst()).allSatisfy({ $0.number < $1.number }) else {
            throw S3Error.invalidPartOrder(resource)
        }
        let available = Dictionary(uniqueKeysWithValues: try parts(of: upload).map { ($0.number, $0) })
        var chosen: [UploadedPart] = []
        for (number, etag) in requested {
            let bare = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let part = available[number], part.etag == bare else { throw S3Error.invalidPart(resource) }
            chosen.append(part)
        }
        if chosen.dropLast().contains(where: { $0.size < Self.minimumPartSize }) { throw S3Error.entityTooSmall(resource) }
        return chosen
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

    /// Writes the given ranges (nil: the whole file) of `sources` one after the other into a new file
    /// `target` (nil: nowhere), passing each chunk to `observe` too.
    private func copy(_ sources: [(URL, ByteRange?)], into target: URL?, resource: String,
                      observe: (UnsafeRawBufferPointer) -> Void) throws {
        let out = target.map { open($0.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) } ?? -1
        if let target, out < 0 { throw S3Error.internalError("open \(target.path): errno \(errno)", resource: resource) }
        defer { if out >= 0 { close(out) } }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for (source, range) in sources {
            let input = open(source.path, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw S3Error.internalError("open \(source.path): errno \(errno)", resource: resource) }
            defer { close(input) }
            var position = range?.first ?? 0
            var remaining = range?.length ?? Int64.max
            while remaining > 0 {
                let want = Int(min(Int64(buffer.count), remaining))
                let count = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress!, want, off_t(position)) }
                if count == 0 { break }
                guard count > 0 else { throw S3Error.internalError("read \(source.path): errno \(errno)", resource: resource) }
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
}
