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
}
