import Foundation
import Testing
@testable import SageboxServer

/// The markers completed multipart uploads keep for repeated Completes, on a real temporary folder.
struct CompletionMarkerTests {
    let temporary = FileManager.default.temporaryDirectory.appending(path: "sagebox-markers-\(UUID().uuidString)")

    private func completedUpload(_ store: MultipartUploadStore, key: String) throws -> MultipartUpload {
        let upload = try store.create(bucket: "lab", key: key, contentType: nil, userMetadata: [:])
        store.markCompleted(upload, etag: "\"abc-1\"")
        return upload
    }

    @Test func markersOlderThanTheLifetimeGoAndTheRestStay() throws {
        defer { try? FileManager.default.removeItem(at: temporary) }
        let store = MultipartUploadStore(temporaryFolder: temporary)
        let done = try completedUpload(store, key: "done")
        let inProgress = try store.create(bucket: "lab", key: "open", contentType: nil, userMetadata: [:])
        #expect(store.completedETag(done.uploadId, bucket: "lab", key: "done") == "\"abc-1\"")

        // Within the hour the marker answers; an upload in progress is never swept, however old.
        #expect(store.removeCompletionMarkers(now: Date().addingTimeInterval(3500)) == 0)
        #expect(store.completedETag(done.uploadId, bucket: "lab", key: "done") == "\"abc-1\"")
        #expect(store.removeCompletionMarkers(now: Date().addingTimeInterval(3700)) == 1)
        #expect(store.completedETag(done.uploadId, bucket: "lab", key: "done") == nil)
        #expect(!FileManager.default.fileExists(atPath: store.folder.appending(path: done.uploadId).path))
        #expect(try store.upload(inProgress.uploadId, bucket: "lab", key: "open") == inProgress)
        #expect(store.removeCompletionMarkers(now: Date().addingTimeInterval(100 * 86400)) == 0)
    }

    @Test func aMarkerWithoutACompletionTimeAgesFromItsFile() throws {
        defer { try? FileManager.default.removeItem(at: temporary) }
        let store = MultipartUploadStore(temporaryFolder: temporary)
        let done = try completedUpload(store, key: "old")
        // As an older sagebox wrote it: no `completed` field.
        let marker = store.folder.appending(path: done.uploadId).appending(path: "upload.json")
        var fields = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: marker)) as? [String: Any])
        fields.removeValue(forKey: "completed")
        try JSONSerialization.data(withJSONObject: fields).write(to: marker)
        #expect(store.removeCompletionMarkers(now: Date().addingTimeInterval(60)) == 0)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: marker.path)
        #expect(store.removeCompletionMarkers() == 1)
        #expect(store.completedETag(done.uploadId, bucket: "lab", key: "old") == nil)
    }
}
