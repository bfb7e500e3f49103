import Foundation
import ProcessingEngine

/// `serve --ephemeral`: a root in a new temporary folder ($TMPDIR, else /tmp), removed when the server
/// stops. Removal never follows a link a job left (`TreeRemoval`).
struct EphemeralRoot {
    let url: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/sagebox-ephemeral-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CommandFailure("sagebox serve: cannot make a temporary root in \(base): \(String(cString: strerror(errno)))")
        }
        url = URL(filePath: String(cString: made), directoryHint: .isDirectory)
        Output.error("sagebox: ephemeral root \(url.path), removed when the server stops")
    }

    func open() throws -> SageboxRoot {
        do { return try SageboxRoot(url: url) } catch {
            remove()
            throw CommandFailure("cannot open the sagebox root \(url.path): \(error)")
        }
    }

    func remove() {
        // A job's runner thread may still be writing its last rows as the process ends: a second pass
        // takes what it added.
        for attempt in 1...3 {
            do {
                try TreeRemoval.remove(url)
                return
            } catch {
                if attempt == 3 { Output.error("sagebox: the ephemeral root \(url.path) was not removed: \(error)") }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }
}
