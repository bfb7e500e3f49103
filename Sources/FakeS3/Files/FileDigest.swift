/// The size and MD5 of a file's bytes, computed while the bytes streamed past.
struct FileDigest: Equatable {
    let size: Int64
    /// 32 lowercase hex digits.
    let md5Hex: String
    /// For a file joined from a multipart upload's parts: each part's size, in order (they add up to
    /// `size`). Nil for any other file, which S3 treats as a single part.
    var partSizes: [Int64]? = nil
}
