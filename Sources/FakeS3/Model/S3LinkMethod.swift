/// How `S3Store.linkObject` made an object's bytes appear at its destination.
public enum S3LinkMethod: Sendable, Hashable {
    /// A hard link to the data file: no bytes copied. The destination must never be written in place.
    case hardLink
    /// A copy, because the destination is on another file system (or the file system refused links).
    case copy
}
