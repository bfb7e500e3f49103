import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regular files below an output's folder, found without following symbolic links.
enum OutputTree {
    /// Relative paths (`/`-separated) of the regular files under `relativeFolder` of `root` ("" for the
    /// root itself), with their signatures; folders found on the way go to `foundFolder`.
    static func regularFiles(under root: URL, in relativeFolder: String = "",
                             foundFolder: (String) -> Void = { _ in }) -> [(path: String, signature: FileSignature)] {
        var found: [(path: String, signature: FileSignature)] = []
        func walk(_ relative: String) {
            let url = relative.isEmpty ? root : root.appending(path: relative)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root.appending(path: child).path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: found.append((child, FileSignature(info)))
                case S_IFDIR:
                    foundFolder(child)
                    walk(child)
                default: continue  // symbolic links, FIFOs, sockets, devices are not outputs
                }
            }
        }
        walk(relativeFolder)
        return found
    }
}
