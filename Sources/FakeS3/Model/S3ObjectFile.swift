import Foundation

/// An object's metadata together with the file holding its bytes, as GetObject returns it.
///
/// Objects are replaced by rename, so a file opened from `url` keeps the bytes it had when it was
/// opened, even if the object is overwritten or deleted afterwards. Open it promptly: a write of the
/// same key between this lookup and the open may show the newer bytes (or none, after a delete);
/// `S3Store.openObject` gives bytes that always match the metadata.
public struct S3ObjectFile: Sendable, Hashable {
    /// The object's metadata.
    public let object: S3Object
    /// The data file. Read it; never write to it.
    public let url: URL

    /// Creates the pair.
    public init(object: S3Object, url: URL) {
        self.object = object
        self.url = url
    }
}
