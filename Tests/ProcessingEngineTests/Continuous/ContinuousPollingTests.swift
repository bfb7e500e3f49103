import FakeS3
import Foundation
import ProcessingEngine
import Testing

@Suite("ContinuousUploader: the polling fallback where no close event is seen")
struct ContinuousPollingTests {
    @Test func aFileIsUploadedOnceStableForOneSecondAndAgainWhenItChanges() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader(watching: .polling)
        let started = Date()
        #expect(try ScriptProcess.run("mkdir '\(fixture.folder.path)/sub' && printf one > '\(fixture.folder.path)/sub/f.txt'").status == 0)
        #expect(fixture.waitFor("sub/f.txt", Data("one".utf8), seconds: 3))
        let took = Date().timeIntervalSince(started)
        #expect(took >= 0.9 && took < 2.5, "took \(took) s")
        #expect(try ScriptProcess.run("printf 'two!' > '\(fixture.folder.path)/sub/f.txt'").status == 0)
        #expect(fixture.waitFor("sub/f.txt", Data("two!".utf8), seconds: 3))
        let report = uploader.finish()
        #expect(report.watching == .polling)
        #expect(report.uploads == 2)
    }

    @Test func finishSweepsAFileThatHadNoTimeToSettle() throws {
        let fixture = try ContinuousFixture()
        let uploader = try fixture.uploader(watching: .polling)
        #expect(try ScriptProcess.run("printf fresh > '\(fixture.folder.path)/fresh.txt'").status == 0)
        let report = uploader.finish()
        #expect(fixture.object("fresh.txt") == Data("fresh".utf8))
        #expect(report.uploads == 1)
    }
}
