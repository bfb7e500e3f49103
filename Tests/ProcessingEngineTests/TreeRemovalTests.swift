import Foundation
import ProcessingEngine
import Testing

/// What a reset or an ephemeral server's exit removes is what a job may have shaped: links to host folders,
/// folders it made unreadable, a mount left behind. Removal takes the links, never what they point at.
@Suite("Removing a job's folders never leaves them")
struct TreeRemovalTests {
    private let fm = FileManager.default

    private func folder(_ name: String) throws -> URL {
        let url = fm.temporaryDirectory.appending(path: "sagebox-\(name)-\(UUID().uuidString)", directoryHint: .isDirectory)
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func linksToHostFoldersAndFilesAreRemovedAndTheirTargetsStay() throws {
        let host = try folder("host")
        defer { try? fm.removeItem(at: host) }
        try Data("canary\n".utf8).write(to: host.appending(path: "canary.txt"))
        let tree = try folder("tree")
        defer { try? fm.removeItem(at: tree) }
        let deep = tree.appending(path: "job/algo-1/volume/opt-ml/output")
        try fm.createDirectory(at: deep, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: deep.appending(path: "host-folder").path, withDestinationPath: host.path)
        try fm.createSymbolicLink(atPath: deep.appending(path: "host-file").path, withDestinationPath: host.appending(path: "canary.txt").path)
        // A link where a folder of the layout would be: removed as a link, not emptied through.
        try fm.createSymbolicLink(atPath: tree.appending(path: "job/algo-1/staging").path, withDestinationPath: host.path)
        try fm.createSymbolicLink(atPath: tree.appending(path: "dangling").path, withDestinationPath: "/nonexistent/sagebox")
        #expect(mkfifo(deep.appending(path: "fifo").path, 0o600) == 0)

        try TreeRemoval.empty(tree)

        #expect(try fm.contentsOfDirectory(atPath: tree.path).isEmpty)
        #expect(try String(contentsOf: host.appending(path: "canary.txt"), encoding: .utf8) == "canary\n")
        #expect(try fm.contentsOfDirectory(atPath: host.path) == ["canary.txt"])
    }

    @Test func foldersAJobMadeUnreadableAreRemoved() throws {
        let tree = try folder("tree")
        defer { try? fm.removeItem(at: tree) }
        let locked = tree.appending(path: "overlays/work/work")
        try fm.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: locked.appending(path: "file"))
        #expect(chmod(locked.path, 0) == 0)
        #expect(chmod(locked.deletingLastPathComponent().path, 0o500) == 0)

        try TreeRemoval.remove(tree)

        #expect(!fm.fileExists(atPath: tree.path))
    }

    @Test func aLinkGivenAsTheFolderToRemoveIsRemovedNotFollowed() throws {
        let host = try folder("host")
        defer { try? fm.removeItem(at: host) }
        try Data("canary\n".utf8).write(to: host.appending(path: "canary.txt"))
        let parent = try folder("parent")
        defer { try? fm.removeItem(at: parent) }
        let link = parent.appending(path: "root")
        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: host.path)

        #expect(throws: TreeRemoval.Leftovers.self) { try TreeRemoval.empty(link) }
        try TreeRemoval.remove(link)

        #expect(try fm.contentsOfDirectory(atPath: parent.path).isEmpty)
        #expect(try fm.contentsOfDirectory(atPath: host.path) == ["canary.txt"])
    }

    /// A file system mounted inside the tree (a volume left mounted) is not entered: its files stay, and
    /// the removal says what it left.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aMountInsideTheTreeIsNotEntered() throws {
        let tree = try folder("tree")
        defer { try? fm.removeItem(at: tree) }
        let mountPoint = tree.appending(path: "job/volume")
        try fm.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        #expect(mount("tmpfs", mountPoint.path, "tmpfs", 0, nil) == 0)
        defer { umount(mountPoint.path) }
        try Data("on the mount\n".utf8).write(to: mountPoint.appending(path: "kept.txt"))

        #expect(throws: TreeRemoval.Leftovers.self) { try TreeRemoval.empty(tree) }

        #expect(try String(contentsOf: mountPoint.appending(path: "kept.txt"), encoding: .utf8) == "on the mount\n")
    }
}
