/// The size and MD5 of a file's bytes, computed while the bytes streamed past.
struct FileDigest: Equatable {
    let size: Int64
    /// 32 lowercase hex digits.
    let md5Hex: String
}
