import Foundation

/// One part of a multipart upload, as ListParts reports it.
struct UploadedPart: Sendable, Equatable {
    let number: Int
    /// MD5 hex of the part's bytes, without quotes.
    let etag: String
    let size: Int64
    let lastModified: Date
    let url: URL
}
