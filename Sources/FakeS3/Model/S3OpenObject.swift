#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An object's metadata with its bytes open for reading, as `S3Store.openObject` returns it: the
/// descriptor holds exactly this version's bytes, whatever writes or deletes of the key come after.
/// The descriptor closes when the last reference goes.
public final class S3OpenObject: Sendable {
    /// The object's metadata.
    public let object: S3Object
    /// The data file, open read-only. Read it (`pread`); never write to it or close it.
    public let descriptor: Int32

    init(object: S3Object, descriptor: Int32) {
        self.object = object
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
