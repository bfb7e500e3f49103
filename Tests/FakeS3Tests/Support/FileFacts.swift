import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the file system says about a path, read with lstat, independently of the store.
struct FileFacts {
    let inode: UInt64
    let device: UInt64
    let linkCount: UInt64
    let isRegularFile: Bool

    init?(_ url: URL) {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
        linkCount = UInt64(info.st_nlink)
        isRegularFile = info.st_mode & S_IFMT == S_IFREG
    }

    static func exists(_ url: URL) -> Bool { FileFacts(url) != nil }
}

/// The MD5 of a file as `md5sum` computes it: an oracle independent of the store's own hashing.
func md5sum(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
    process.arguments = [url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}
