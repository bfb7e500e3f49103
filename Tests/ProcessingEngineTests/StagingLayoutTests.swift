@testable import ProcessingEngine
import SageMakerAPI
import Testing

/// The staging rules that need no process: where a key lands under LocalPath, which inputs share an
/// overlay, and how their files merge. Milliseconds; the jobs themselves are in `NestedLocalPathsTests`.
@Suite("Staging layout rules")
struct StagingLayoutTests {
    // MARK: S3Prefix (spec §12, 2026-11-30)

    @Test func aPrefixEndingInASlashIsCutOff() {
        #expect(InputObjects.localPath(ofKey: "in/x/a.csv", prefix: "in/") == "x/a.csv")
        #expect(InputObjects.localPath(ofKey: "in/b.csv", prefix: "in/") == "b.csv")
        #expect(InputObjects.localPath(ofKey: "top/a.csv", prefix: "") == "top/a.csv")
    }

    @Test func aFolderNamedWithoutItsSlashIsCutOffWithTheSlash() {
        #expect(InputObjects.localPath(ofKey: "in/x/a.csv", prefix: "in") == "x/a.csv")
        // What the SDK uploads a local input to: s3://<bucket>/<job>/input/<name>.
        #expect(InputObjects.localPath(ofKey: "job/input/input-1/part-0.csv", prefix: "job/input/input-1") == "part-0.csv")
    }

    @Test func aURINamingOneObjectGivesItsBasename() {
        #expect(InputObjects.localPath(ofKey: "code/run.py", prefix: "code/run.py") == "run.py")
        #expect(InputObjects.localPath(ofKey: "run.py", prefix: "run.py") == "run.py")
    }

    @Test func aPrefixEndingInsideANameKeepsWholeNames() {
        #expect(InputObjects.localPath(ofKey: "data/part-1.csv", prefix: "data/part") == "part-1.csv")
        #expect(InputObjects.localPath(ofKey: "data/partial/z.csv", prefix: "data/part") == "partial/z.csv")
        #expect(InputObjects.localPath(ofKey: "inner/c.csv", prefix: "in") == "inner/c.csv")
    }

    @Test func theCutIsMadeOnBytesNotCharacters() {
        // "e" + U+0301 is one Character; the prefix "e" ends inside it.
        #expect(InputObjects.localPath(ofKey: "d/e\u{301}.csv", prefix: "d/e") == "e\u{301}.csv")
        #expect(InputObjects.localPath(ofKey: "é/a", prefix: "é") == "a")
    }

    // MARK: Which inputs share an overlay

    private func input(_ name: String, _ localPath: String, mode: String = "File", appManaged: Bool? = nil) -> ProcessingInput {
        var s3 = ProcessingS3Input()
        s3.s3Uri = "s3://lab/\(name)/"
        s3.localPath = localPath
        s3.s3InputMode = mode
        var input = ProcessingInput()
        input.inputName = name
        input.appManaged = appManaged
        input.s3Input = s3
        return input
    }

    private func output(_ localPath: String) -> ProcessingOutput {
        var s3 = ProcessingS3Output()
        s3.s3Uri = "s3://lab/out/"
        s3.localPath = localPath
        var output = ProcessingOutput()
        output.s3Output = s3
        return output
    }

    @Test func seed001sCodeInputJoinsTheDataInputsOverlay() {
        let layout = StagingLayout(inputs: [input("input-data", "/opt/ml/processing/input"),
                                            input("code", "/opt/ml/processing/input/code")], outputs: [])
        #expect(layout.trees == [StagingLayout.Tree(localPath: "/opt/ml/processing/input",
                                                    members: [.init(input: 0, offset: ""), .init(input: 1, offset: "code")])])
        #expect(layout.hostBinds == [])
    }

    @Test func threeLevelsListedInnerFirstMergeOutermostFirst() {
        let layout = StagingLayout(inputs: [input("lib", "/opt/ml/processing/input/code/lib/"),
                                            input("code", "/opt/ml/processing/input/code"),
                                            input("data", "/opt/ml/processing/input")], outputs: [])
        #expect(layout.trees.count == 1)
        #expect(layout.trees[0].localPath == "/opt/ml/processing/input")
        #expect(layout.trees[0].members == [.init(input: 2, offset: ""), .init(input: 1, offset: "code"),
                                            .init(input: 0, offset: "code/lib")])
        #expect(layout.trees[0].root == 2)
    }

    @Test func siblingsAndLookAlikeNamesAreSeparateOverlays() {
        let layout = StagingLayout(inputs: [input("a", "/opt/ml/processing/input/data"),
                                            input("b", "/opt/ml/processing/input/code"),
                                            input("c", "/opt/ml/processing/in"),
                                            input("d", "/opt/ml/processing/input-2")], outputs: [])
        #expect(layout.trees.map(\.localPath) == ["/opt/ml/processing/input/data", "/opt/ml/processing/input/code",
                                                  "/opt/ml/processing/in", "/opt/ml/processing/input-2"])
    }

    @Test func pipeAndAppManagedInputsHaveNoOverlayAndAFIFOInsideATreeIsBoundFromTheHost() {
        let layout = StagingLayout(inputs: [input("data", "/opt/ml/processing/input"),
                                            input("stream", "/opt/ml/processing/input/stream", mode: "Pipe"),
                                            input("own", "/opt/ml/processing/input/own", appManaged: true),
                                            input("far", "/opt/ml/processing/far", mode: "Pipe")], outputs: [])
        #expect(layout.trees.map(\.members) == [[.init(input: 0, offset: "")]])
        #expect(layout.hostBinds == ["/opt/ml/processing/input/stream_0"])
    }

    @Test func outputFoldersInsideAnInputAreBoundOnceOutermostFirst() {
        let layout = StagingLayout(inputs: [input("data", "/opt/ml/processing/input")],
                                   outputs: [output("/opt/ml/processing/input/out/deeper"), output("/opt/ml/processing/input/out/"),
                                             output("/opt/ml/processing/output"), output("/opt/ml/processing/output/train")])
        #expect(layout.hostBinds == ["/opt/ml/processing/input/out"])
    }

    // MARK: Merging one overlay's files

    private func object(_ key: String, _ relativePath: String) -> InputObject {
        InputObject(bucket: "lab", key: key, relativePath: relativePath)
    }

    @Test func anInnerFileReplacesTheOuterFileAtTheSamePath() {
        var tree = StagingTree()
        tree.add([object("data/code/run.py", "code/run.py"), object("data/a.csv", "a.csv")], under: "")
        let replaced = tree.add([object("src/run.py", "run.py")], under: "code")
        #expect(replaced.map(\.key) == ["data/code/run.py"])
        #expect(tree.files.map(\.path) == ["a.csv", "code/run.py"])
        #expect(tree.files.map(\.object.key) == ["data/a.csv", "src/run.py"])
    }

    @Test func anInnerFolderReplacesAnOuterFileStandingAtItsPath() {
        var tree = StagingTree()
        tree.add([object("data/code", "code"), object("data/a.csv", "a.csv")], under: "")
        let replaced = tree.add([object("src/run.py", "run.py")], under: "code")
        #expect(replaced.map(\.key) == ["data/code"])
        #expect(tree.files.map(\.path) == ["a.csv", "code/run.py"])
    }

    @Test func anInnerFileReplacesAnOuterFolderAtItsPath() {
        var tree = StagingTree()
        tree.add([object("data/code/run.py/x", "code/run.py/x"), object("data/code/run.py/y", "code/run.py/y"),
                  object("data/code/keep.py", "code/keep.py")], under: "")
        let replaced = tree.add([object("src/run.py", "run.py")], under: "code")
        #expect(Set(replaced.map(\.key)) == ["data/code/run.py/x", "data/code/run.py/y"])
        #expect(tree.files.map(\.path) == ["code/keep.py", "code/run.py"])
    }

    @Test func clashesWithinOneInputAreLeftForTheLinkerToRefuse() {
        var tree = StagingTree()
        let replaced = tree.add([object("d/a", "a"), object("d/a/b", "a/b")], under: "")
        #expect(replaced.isEmpty)
        #expect(tree.files.map(\.path) == ["a", "a/b"])
    }
}
