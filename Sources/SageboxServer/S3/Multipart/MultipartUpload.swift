import Foundation

/// A multipart upload in progress: what CreateMultipartUpload asked for, kept as `upload.json` in the
/// upload's folder so that it survives a restart of the server.
struct MultipartUpload: Codable, Sendable, Equatable {
    var uploadId: String
    var bucket: String
    var key: String
    var contentType: String?
    var userMetadata: [String: String]
    /// Epoch seconds.
    var initiated: Double
    /// Set once CompleteMultipartUpload made the object (its quoted ETag): the upload is over, but a
    /// repeated Complete (an SDK retrying after a timeout) answers success again, as S3 does.
    var completedETag: String? = nil
    /// When Complete made the object (epoch seconds): the marker that answers repeated Completes is
    /// removed a while after (`MultipartUploadStore.removeCompletionMarkers`).
    var completed: Double? = nil
}
