import Foundation
import Testing
import FakeS3
import HTTPTypes
@testable import SageboxServer

/// The checks a request document passes before anything acts on it: its shape (depth, size, document
/// element), DeleteObjects' integrity header, and the copy source's version.
struct RequestDocumentTests {
    @Test func aNestingBombIsRefusedWithoutRecursion() {
        let bomb = Data(String(repeating: "<a>", count: 50_000).utf8) + Data(String(repeating: "</a>", count: 50_000).utf8)
        #expect(XMLShapeCheck.rootName(of: bomb, maximumElements: 1_000_000) == nil)
        #expect(throws: S3Error.malformedXML("/b")) {
            try S3XML.decodeRequest(DeleteRequest.self, .delete, from: bomb, resource: "/b")
        }
    }

    @Test func depthUpToTheLimitParses() {
        let depth = XMLShapeCheck.maximumDepth
        let deep = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        #expect(XMLShapeCheck.rootName(of: Data(deep.utf8), maximumElements: 100) == "a")
        let tooDeep = "<a>" + deep + "</a>"
        #expect(XMLShapeCheck.rootName(of: Data(tooDeep.utf8), maximumElements: 100) == nil)
    }

    @Test func aDocumentOfMoreElementsThanAValidOneIsRefusedUndecoded() throws {
        let objects = { (count: Int) in
            Data(("<Delete>" + String(repeating: "<Object><Key>k</Key></Object>", count: count) + "</Delete>").utf8)
        }
        #expect(try S3XML.decodeRequest(DeleteRequest.self, .delete, from: objects(1_000), resource: "/b").Object.count == 1_000)
        #expect(throws: S3Error.malformedXML("/b")) {
            try S3XML.decodeRequest(DeleteRequest.self, .delete, from: objects(10_000), resource: "/b")
        }
    }

    @Test func theDocumentElementMustBeTheOperations() throws {
        let foo = Data("<Foo><Object><Key>k</Key></Object></Foo>".utf8)
        #expect(XMLShapeCheck.rootName(of: foo, maximumElements: 100) == "Foo")
        #expect(throws: S3Error.malformedXML("/b")) {
            try S3XML.decodeRequest(DeleteRequest.self, .delete, from: foo, resource: "/b")
        }
        let namespaced = Data("<Delete xmlns=\"\(S3XML.namespace)\"><Object><Key> k </Key></Object></Delete>".utf8)
        let delete = try S3XML.decodeRequest(DeleteRequest.self, .delete, from: namespaced, resource: "/b")
        #expect(delete.Object.map(\.Key) == [" k "])
        #expect(XMLShapeCheck.rootName(of: Data("<Delete>".utf8), maximumElements: 100) == nil)
    }

    @Test func deleteObjectsNeedsAContentMD5OrAChecksum() throws {
        let body = Data("<Delete/>".utf8)
        #expect(throws: S3Error.invalidRequest("Missing required header for this request: Content-MD5", resource: "/b")) {
            try ContentIntegrity.check(body, headers: [:], resource: "/b")
        }
        let md5 = "ePbrFwvNFIRnzBrIv+T8Ag=="  // MD5 of `<Delete/>`
        try ContentIntegrity.check(body, headers: [HTTPField.Name("Content-MD5")!: md5], resource: "/b")
        try ContentIntegrity.check(body, headers: [HTTPField.Name("x-amz-checksum-crc32")!: "AAAAAA=="], resource: "/b")
        try ContentIntegrity.check(body, headers: [HTTPField.Name("x-amz-trailer")!: "x-amz-checksum-crc64nvme"], resource: "/b")
        let other = "ndTkYSaMgDT1yFZOFVxnpg=="  // MD5 of `x`
        #expect(code(body, contentMD5: other) == "BadDigest")
        #expect(code(body, contentMD5: "short") == "InvalidDigest")
    }

    @Test func theCopySourceVersionMustBeNull() throws {
        let null = try CopySource(header: "/b/k%20x?versionId=null", resource: "/d/k")
        #expect((null.bucket, null.key) == ("b", "k x"))
        #expect(try CopySource(header: "b/k", resource: "/d/k").key == "k")
        #expect(throws: S3Error.invalidArgument("Invalid version id specified", resource: "/d/k")) {
            try CopySource(header: "b/k?versionId=3HL4kqtJlcpXroDTDmJ", resource: "/d/k")
        }
    }

    /// The S3 error code ContentIntegrity answers `body` with a Content-MD5 with, or nil.
    private func code(_ body: Data, contentMD5: String) -> String? {
        do {
            try ContentIntegrity.check(body, headers: [HTTPField.Name("Content-MD5")!: contentMD5], resource: "/b")
            return nil
        } catch {
            return error.code
        }
    }
}
