import Foundation

/// What tells one version of a file from the next without reading it: size, mtime and inode (a file
/// replaced by rename gets a new inode even when size and mtime match).
struct FileSignature: Equatable, Sendable {
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var inode: UInt64

    init(_ info: stat) {
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }
}
