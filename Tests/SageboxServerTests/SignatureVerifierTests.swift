import Foundation
import HTTPTypes
import Testing
@testable import SageboxServer

/// SigV4 checked against AWS's published examples: the S3 developer guide's signed GET, presigned URL and
/// chunked upload (with the SDKs' trailer vector), and the SigV4 test suite's get-vanilla requests.
struct SignatureVerifierTests {
    static let s3Credentials = try! CredentialsFile(text: """
        # the S3 documentation's example key
        [default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        [suite]
        aws_access_key_id=AKIDEXAMPLE
        aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
        """, source: "test")
    static let exampleTime = SignedRequest.time("20130524T000000Z")!
    let verifier = SignatureVerifier(credentials: Self.s3Credentials)

    static func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    /// GET /test.txt with a Range, signed in the Authorization header.
    static func getObject(signature: String = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                          key: String = "AKIAIOSFODNN7EXAMPLE") -> SignatureVerifier.Target {
        let headers = fields([
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=\(signature)"),
            ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", Hex.emptySHA256),
            ("x-amz-date", "20130524T000000Z"),
        ])
        return .init(method: "GET", target: "/test.txt", authority: "examplebucket.s3.amazonaws.com", headers: headers)
    }

    @Test func signedGetObject() throws {
        guard case let .sha256(hash) = try verifier.verifyS3(Self.getObject(), now: Self.exampleTime) else {
            Issue.record("the body's hash is not checked"); return
        }
        #expect(hash == Hex.emptySHA256)
    }

    @Test func wrongSignatureUnknownKeyAndSkew() {
        #expect {
            try verifier.verifyS3(Self.getObject(signature: String(repeating: "0", count: 64)), now: Self.exampleTime)
        } throws: { error in
            guard case let .signatureMismatch(id, provided, stringToSign, canonical) = error as? AuthFailure else { return false }
            return id == "AKIAIOSFODNN7EXAMPLE" && provided == String(repeating: "0", count: 64)
                && stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n")
                && canonical.hasPrefix("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n")
        }
        #expect(throws: AuthFailure.unknownKey("AKIANOTLISTED")) {
            try verifier.verifyS3(Self.getObject(key: "AKIANOTLISTED"), now: Self.exampleTime)
        }
        // 15 minutes is allowed to S3; 16 is not.
        #expect(throws: Never.self) { try verifier.verifyS3(Self.getObject(), now: Self.exampleTime + 15 * 60) }
        #expect { try verifier.verifyS3(Self.getObject(), now: Self.exampleTime + 16 * 60) } throws: { error in
            guard case .skewed = error as? AuthFailure else { return false }
            return true
        }
    }

    @Test func missingSignatureAndPayloadHash() {
        let anonymous = SignatureVerifier.Target(method: "GET", target: "/test.txt", authority: "localhost", headers: [:])
        #expect(throws: AuthFailure.missing) { try verifier.verifyS3(anonymous) }
        var headers = Self.getObject().headers
        headers[HTTPField.Name("x-amz-content-sha256")!] = nil
        let unhashed = SignatureVerifier.Target(method: "GET", target: "/test.txt", authority: "examplebucket.s3.amazonaws.com",
                                                headers: headers)
        #expect(throws: AuthFailure.missingContentSHA256) { try verifier.verifyS3(unhashed, now: Self.exampleTime) }
    }

    static let presignedQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

    @Test func presignedURLUntilItExpires() throws {
        let request = SignatureVerifier.Target(method: "GET", target: "/test.txt?" + Self.presignedQuery,
                                               authority: "examplebucket.s3.amazonaws.com", headers: [:])
        guard case .unchecked = try verifier.verifyS3(request, now: Self.exampleTime + 86_400) else {
            Issue.record("a presigned GET signs no payload"); return
        }
        #expect { try verifier.verifyS3(request, now: Self.exampleTime + 86_401) } throws: { error in
            guard case .expired = error as? AuthFailure else { return false }
            return true
        }
        #expect { try verifier.verifyS3(request, now: Self.exampleTime - 16 * 60) } throws: { error in
            guard case .notYetValid = error as? AuthFailure else { return false }
            return true
        }
        let tampered = SignatureVerifier.Target(method: "GET", target: "/test.txt?" + Self.presignedQuery + "&versionId=1",
                                                authority: "examplebucket.s3.amazonaws.com", headers: [:])
        #expect { try verifier.verifyS3(tampered, now: Self.exampleTime) } throws: { error in
            guard case .signatureMismatch = error as? AuthFailure else { return false }
            return true
        }
    }

    static let chunkSignatures = ["ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                                  "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                                  "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"]

    /// The chunked PUT of 66,560 bytes of `a` (65,536 + 1,024 + the empty last chunk).
    func chunkedUpload() throws -> ChunkSignatures {
        let headers = Self.fields([
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,"
                + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"),
            ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"), ("Content-Length", "66824"),
        ])
        let request = SignatureVerifier.Target(method: "PUT", target: "/examplebucket/chunkObject.txt",
                                               authority: "s3.amazonaws.com", headers: headers)
        guard case let .chunkSigned(chain, trailer) = try verifier.verifyS3(request, now: Self.exampleTime), !trailer else {
            throw AuthFailure.missing
        }
        return chain
    }

    static func chunkedBody(corruptAt corrupt: Int? = nil) -> [UInt8] {
        var body: [UInt8] = []
        for (size, signature) in zip([65536, 1024, 0], chunkSignatures) {
            body += Array("\(String(size, radix: 16));chunk-signature=\(signature)\r\n".utf8)
            body += [UInt8](repeating: UInt8(ascii: "a"), count: size) + Array("\r\n".utf8)
        }
        if let corrupt { body[corrupt] = UInt8(ascii: "b") }
        return body
    }

    @Test(arguments: [1000, 70000])
    func chunkSignaturesChain(step: Int) throws {
        var decoder = AWSChunkedDecoder(signatures: try chunkedUpload())
        let body = Self.chunkedBody()
        var count = 0
        for start in stride(from: 0, to: body.count, by: step) {
            try decoder.feed(Array(body[start..<min(start + step, body.count)])) { count += $0.count }
        }
        try decoder.finish()
        #expect(count == 66560)
    }

    @Test func alteredChunkIsRefused() throws {
        var decoder = AWSChunkedDecoder(signatures: try chunkedUpload())
        // A byte of the second chunk's data.
        #expect(throws: AWSChunkedDecoder.SignatureMismatch.self) {
            try decoder.feed(Self.chunkedBody(corruptAt: 65536 + 90 + 10)) { _ in }
        }
    }

    @Test func trailerSignature() throws {
        var chain = try chunkedUpload()
        for (data, signature) in zip([65536, 1024, 0], Self.chunkSignatures) {
            let hash = Hex.sha256([UInt8](repeating: UInt8(ascii: "a"), count: data))
            let verified = chain.verifyChunk(dataHash: hash, signature: signature)
            #expect(verified)
        }
        let verified = chain.verifyTrailer(canonicalTrailer: "first:1st\nsecond:2nd\nthird:3rd\n",
                                           signature: "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c")
        #expect(verified)
    }

    /// The SigV4 test suite's get-vanilla and get-vanilla-query-order-key-case, a non-S3 service.
    @Test(arguments: [("/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                      ("/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")])
    func serviceRequests(target: String, signature: String) throws {
        let headers = Self.fields([
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=\(signature)"),
            ("X-Amz-Date", "20150830T123600Z"),
        ])
        let request = SignatureVerifier.Target(method: "GET", target: target, authority: "example.amazonaws.com", headers: headers)
        let time = SignedRequest.time("20150830T123600Z")!
        try verifier.verifyService(request, body: Data(), now: time)
        #expect(throws: AuthFailure.self) { try verifier.verifyService(request, body: Data("x".utf8), now: time) }
    }

    /// S3's SigV2 examples (the developer guide's johnsmith bucket): a signed header and a presigned query.
    @Test func legacyS3Signatures() throws {
        let date = "Tue, 27 Mar 2007 19:36:42 +0000"
        let header = SignatureVerifier.Target(method: "GET", target: "/johnsmith/photos/puppy.jpg", authority: "localhost",
                                              headers: Self.fields([("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="),
                                                                    ("Date", date)]))
        let then = LegacyS3Signature.httpDate(date)!
        guard case .unchecked = try verifier.verifyS3(header, now: then) else { Issue.record("V2 signs no payload"); return }
        #expect { try verifier.verifyS3(header, now: then + 16 * 60) } throws: { error in
            guard case .skewed = error as? AuthFailure else { return false }
            return true
        }
        let query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"
        let presigned = SignatureVerifier.Target(method: "GET", target: "/johnsmith/photos/puppy.jpg?" + query,
                                                 authority: "localhost", headers: [:])
        _ = try verifier.verifyS3(presigned, now: Date(timeIntervalSince1970: 1_175_139_620))
        #expect { try verifier.verifyS3(presigned, now: Date(timeIntervalSince1970: 1_175_139_621)) } throws: { error in
            guard case .expired = error as? AuthFailure else { return false }
            return true
        }
        let other = SignatureVerifier.Target(method: "GET", target: "/johnsmith/photos/kitten.jpg?" + query,
                                             authority: "localhost", headers: [:])
        #expect { try verifier.verifyS3(other, now: Date(timeIntervalSince1970: 1_175_139_000)) } throws: { error in
            guard case .signatureMismatch = error as? AuthFailure else { return false }
            return true
        }
    }

    @Test func credentialsFileErrors() {
        #expect(throws: CredentialsFileError.self) { try CredentialsFile(text: "[a]\naws_access_key_id = K\n", source: "f") }
        #expect(throws: CredentialsFileError.self) { try CredentialsFile(text: "# nothing\n", source: "f") }
        #expect(Self.s3Credentials.keys.map(\.id) == ["AKIAIOSFODNN7EXAMPLE", "AKIDEXAMPLE"])
    }
}
