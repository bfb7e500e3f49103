import Foundation

enum LocalFiles {
    /// The relative paths of the regular files below `folder` (links are not followed), sorted.
    static func regularFiles(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            var info = stat()
            if lstat(folder.appending(path: relative).path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found.append(relative) }
        }
        return found.sorted()
    }
}
