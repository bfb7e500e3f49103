/// A GetObject Range past the end of the object: answered with InvalidRange (416) and
/// `Content-Range: bytes */size`.
struct UnsatisfiableRange: Error {
    let size: Int64
}

/// A GetObject or HeadObject `partNumber` past the object's last part: answered with InvalidPartNumber
/// (416), whose error document names the part asked for and the object's number of parts.
struct UnsatisfiablePart: Error {
    let requested: Int
    let partsCount: Int
}
