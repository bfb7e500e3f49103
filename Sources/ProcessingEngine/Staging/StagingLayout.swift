import SageMakerAPI

/// How the inputs' and outputs' folders share the job's view when LocalPaths nest (spec §12 "Nested
/// LocalPaths"). Seed 001 stages its data at `/opt/ml/processing/input` and its script at
/// `/opt/ml/processing/input/code`, as every SDK ScriptProcessor does. On AWS every input downloads into
/// one file system, so the job sees one merged tree; here each outermost File-mode input gets one overlay
/// whose lower layer holds its own objects and those of every input inside its folder, at their offsets
/// (`StagingTree` merges them, the inner input winning). Output folders and Pipe FIFOs inside such a tree
/// are bound from the host over the overlay, so the uploaders and feeders see what the job sees.
struct StagingLayout: Equatable {
    /// The inputs staged into one overlay, mounted at the outermost one's LocalPath.
    struct Tree: Equatable {
        /// The outermost input's LocalPath, normalized.
        var localPath: String
        /// The inputs staged in it, outermost first (the order in which they are merged).
        var members: [Member]
        /// The outermost input, whose index names the staging and overlay folders.
        var root: Int { members[0].input }
    }

    struct Member: Equatable {
        /// The input's index in the request.
        var input: Int
        /// Its folder relative to the tree's LocalPath; "" for the outermost input itself.
        var offset: String
    }

    var trees: [Tree]
    /// Container paths under /opt/ml shown from the host's `opt-ml` over an overlay (`--opt-ml-bind`):
    /// output folders and Pipe FIFOs inside a tree, outermost first, none inside another.
    var hostBinds: [String]

    init(inputs: [ProcessingInput], outputs: [ProcessingOutput]) {
        let staged = inputs.enumerated().compactMap { index, input in
            Self.stagedLocalPath(of: input).map { (index: index, path: ProcessingLocalPath.normalized($0)) }
        }
        var trees: [Tree] = []
        // Outermost first, so that every input finds the tree of any folder that holds it.
        for (index, path) in staged.sorted(by: { Self.depth(of: $0.path) < Self.depth(of: $1.path) }) {
            if let tree = trees.firstIndex(where: { ProcessingLocalPath.isInside(path, $0.localPath) }) {
                let offset = String(path.dropFirst(trees[tree].localPath.count + 1))
                trees[tree].members.append(Member(input: index, offset: offset))
            } else {
                trees.append(Tree(localPath: path, members: [Member(input: index, offset: "")]))
            }
        }
        self.trees = trees.sorted { $0.root < $1.root }

        let outputFolders = outputs.compactMap { $0.s3Output?.localPath }
        let fifos = inputs.compactMap { input -> String? in
            guard let s3Input = input.s3Input, let localPath = s3Input.localPath, input.appManaged != true,
                  s3Input.s3InputMode == ProcessingS3InputMode.pipe.rawValue else { return nil }
            return PipeFeeder.containerPath(forLocalPath: localPath)
        }
        let covered = (outputFolders + fifos).map(ProcessingLocalPath.normalized)
            .filter { path in trees.contains { ProcessingLocalPath.isInside(path, $0.localPath) } }
            .sorted { Self.depth(of: $0) < Self.depth(of: $1) }
        var binds: [String] = []
        for path in covered where !binds.contains(where: { $0 == path || ProcessingLocalPath.isInside(path, $0) }) {
            binds.append(path)
        }
        hostBinds = binds
    }

    /// The LocalPath of an input whose objects are staged as files (File mode, not AppManaged).
    static func stagedLocalPath(of input: ProcessingInput) -> String? {
        guard input.appManaged != true, let s3Input = input.s3Input, let localPath = s3Input.localPath,
              s3Input.s3InputMode != ProcessingS3InputMode.pipe.rawValue else { return nil }
        return localPath
    }

    private static func depth(of path: String) -> Int { path.split(separator: "/").count }
}

/// The files of one overlay's lower layer: each input's objects at their offset in the tree, merged in
/// the tree's order. Where an inner input's file meets an outer input's file at the same path, or an
/// outer file stands where the inner input needs a folder (or the other way round), the inner input
/// wins. Clashes within one input are left for the linker to refuse, as before.
struct StagingTree {
    private struct Entry {
        var path: String
        var object: InputObject
        /// Which `add` call brought it: only an earlier (outer) input's files can be replaced.
        var layer: Int
    }

    /// The files, in the order they were added (nil once an inner input replaced one).
    private var entries: [Entry?] = []
    private var indexByPath: [String: Int] = [:]
    /// How many files lie under each folder path, so that a file replacing a folder is found at once.
    private var filesUnderFolder: [String: Int] = [:]
    private var layers = 0

    var files: [(path: String, object: InputObject)] { entries.compactMap { $0.map { ($0.path, $0.object) } } }

    /// Adds one input's `objects` under `offset` ("" for the tree's own folder); returns the outer
    /// inputs' files they replaced.
    @discardableResult
    mutating func add(_ objects: [InputObject], under offset: String) -> [InputObject] {
        layers += 1
        var replaced: [InputObject] = []
        for object in objects {
            let path = offset.isEmpty ? object.relativePath : offset + "/" + object.relativePath
            for clash in [path] + Self.folders(of: path) {
                if let index = indexByPath[clash] { replaced += drop(at: index) }
            }
            if filesUnderFolder[path, default: 0] > 0 {
                for (index, entry) in entries.enumerated() where entry.map({ ProcessingLocalPath.isInside($0.path, path) }) == true {
                    replaced += drop(at: index)
                }
            }
            if indexByPath[path] == nil { indexByPath[path] = entries.count }
            entries.append(Entry(path: path, object: object, layer: layers))
            for folder in Self.folders(of: path) { filesUnderFolder[folder, default: 0] += 1 }
        }
        return replaced
    }

    /// Drops an outer input's entry; an entry of the input being added stays.
    private mutating func drop(at index: Int) -> [InputObject] {
        guard let entry = entries[index], entry.layer < layers else { return [] }
        entries[index] = nil
        if indexByPath[entry.path] == index { indexByPath[entry.path] = nil }
        for folder in Self.folders(of: entry.path) { filesUnderFolder[folder, default: 0] -= 1 }
        return [entry.object]
    }

    /// The folders that hold `path`, innermost first: `a/b/c` → `a/b`, `a`.
    private static func folders(of path: String) -> [String] {
        var folders: [String] = []
        var folder = Substring(path)
        while let slash = folder.lastIndex(of: "/") {
            folder = folder[..<slash]
            folders.append(String(folder))
        }
        return folders
    }
}
