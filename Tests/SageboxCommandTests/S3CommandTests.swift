import Foundation
import Testing

@Suite("sagebox s3")
struct S3CommandTests {
    @Test func objectsRoundTripThroughTheCommandLine() throws {
        let sagebox = try Sagebox()
        let data = try sagebox.file("data.csv", "a,b\n1,2\n")
        #expect(try sagebox("s3", "mb", "s3://lab").stdout == "make_bucket: lab\n")
        #expect(try sagebox("s3", "cp", data, "s3://lab/raw/data.csv").status == 0)
        #expect(try sagebox("s3", "cp", data, "s3://lab/raw/").status == 0)
        let listing = try sagebox("s3", "ls", "s3://lab/raw/").stdout
        #expect(listing.contains(" 8 data.csv"))
        #expect(try sagebox("s3", "ls", "s3://lab/").stdout.contains("PRE raw/"))
        let back = sagebox.root.path + "-back.csv"
        #expect(try sagebox("s3", "cp", "s3://lab/raw/data.csv", back).status == 0)
        #expect(try String(contentsOfFile: back, encoding: .utf8) == "a,b\n1,2\n")
        // The object is a file a person can open.
        #expect(try String(contentsOf: sagebox.root.appending(path: "buckets/lab/raw/data.csv"), encoding: .utf8) == "a,b\n1,2\n")
        #expect(try sagebox("s3", "rm", "s3://lab/raw/data.csv").status == 0)
        #expect(try sagebox("s3", "ls", "s3://lab/raw/").stdout == "")
        let missing = try sagebox("s3", "cp", "s3://lab/raw/data.csv", back)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("NoSuchKey"))
    }

    @Test(arguments: ["s3://lab/../escape.txt", "s3://lab/a/../../escape.txt", "s3://lab//abs.txt"])
    func keysThatCouldLeaveTheBucketAreRefused(uri: String) throws {
        let sagebox = try Sagebox()
        let data = try sagebox.file("x.txt", "x")
        try sagebox("s3", "mb", "s3://lab")
        let before = try files(under: sagebox.root)
        let result = try sagebox("s3", "cp", data, uri)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
        #expect(try files(under: sagebox.root) == before)
        #expect(!FileManager.default.fileExists(atPath: sagebox.root.appending(path: "buckets/escape.txt").path))
        #expect(!FileManager.default.fileExists(atPath: sagebox.root.appending(path: "escape.txt").path))
    }

    @Test func aBucketNameOutsideS3sRulesIsRefused() throws {
        let sagebox = try Sagebox()
        let data = try sagebox.file("x.txt", "x")
        try sagebox("s3", "mb", "s3://lab")
        let result = try sagebox("s3", "cp", data, "s3://Bad_Bucket/x")
        #expect(result.status != 0)
        #expect(result.stderr.contains("InvalidBucketName"))
    }

    private func files(under url: URL) throws -> [String] {
        let walker = FileManager.default.enumerator(atPath: url.path)
        var found: [String] = []
        while let path = walker?.nextObject() as? String {
            if !path.hasPrefix("sagebox.sqlite") { found.append(path) }
        }
        return found.sorted()
    }
}
