/// A GetObject Range past the end of the object: answered with InvalidRange (416) and
/// `Content-Range: bytes */size`.
struct UnsatisfiableRange: Error {
    let size: Int64
}
