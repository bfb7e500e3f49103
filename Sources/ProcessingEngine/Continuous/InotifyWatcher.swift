#if os(Linux)
import Foundation
import Glibc

/// Watches an output's folder and every folder below it, including folders created later, and turns
/// inotify's events into the relative paths of files that are worth uploading: closed after writing
/// (IN_CLOSE_WRITE) or moved in (IN_MOVED_TO). A new folder is watched and scanned at once, since files
/// may appear in it before its watch exists. Used from one thread.
final class InotifyWatcher {
    private static let folderMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DONT_FOLLOW | IN_ONLYDIR)
    let root: ContainedPath
    private let fd: Int32
    /// Watch descriptor → folder relative to `root` ("" for the root).
    private var folders: [Int32: String] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Nil where inotify is unavailable (or the limit of instances is reached).
    init?(root: ContainedPath) {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        self.root = root
    }

    deinit { close(fd) }

    /// Whether the root itself is watched (it is not after the job removed and recreated it).
    var watchesRoot: Bool { folders.values.contains("") }

    /// Watches `relativeFolder` and every folder below it; returns the regular files found there.
    func watchTree(_ relativeFolder: String = "") -> [String] {
        guard watch(relativeFolder) else { return [] }
        return OutputTree.regularFiles(under: root, in: relativeFolder, foundFolder: { _ = self.watch($0) }).map(\.path)
    }

    /// Waits up to `milliseconds` for events; returns the files to upload, in event order.
    func next(waitingMilliseconds milliseconds: Int32) -> [String] {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return [] }
        var files: [String] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset + 16 <= count {
                    let wd = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = bytes[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    offset += 16 + length
                    files += handle(wd: wd, mask: mask, name: String(decoding: nameBytes, as: UTF8.self))
                }
            }
        }
        return files
    }

    private func handle(wd: Int32, mask: UInt32, name: String) -> [String] {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return watchTree() }  // events were lost: look at everything
        guard let folder = folders[wd] else { return [] }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[wd] = nil
            return []
        }
        let path = folder.isEmpty ? name : folder + "/" + name
        if mask & UInt32(IN_ISDIR) != 0 {
            return mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 ? watchTree(path) : []
        }
        return mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 ? [path] : []
    }

    @discardableResult
    private func watch(_ relativeFolder: String) -> Bool {
        // A watch only tells which names to look at; they are then opened from `root` without following links.
        let wd = inotify_add_watch(fd, root.appending(relativeFolder).url.path, Self.folderMask)
        guard wd >= 0 else { return false }
        folders[wd] = relativeFolder  // a folder moved within the tree keeps its descriptor: re-point it
        return true
    }
}
#endif
