import FakeS3
import Foundation
import XMLCoder

/// XML coding for S3's REST protocol: documents in S3's namespace with an XML declaration.
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// Encodes `value` as the document element `root`.
    static func encode<T: Encodable>(_ value: T, root: String, namespaced: Bool = true) throws -> Data {
        referencingControlCharacters(try XMLEncoder().encode(value, withRootKey: root,
                                                             rootAttributes: namespaced ? ["xmlns": namespace] : nil,
                                                             header: XMLHeader(version: 1.0, encoding: "UTF-8")))
    }

    /// The document with every control character but tab and line feed written as a numeric character
    /// reference (`&#13;`), as S3 writes keys: a raw carriage return would reach the client's parser as a
    /// line feed (XML's end-of-line handling), and the other control characters cannot be written raw in
    /// XML 1.0. XMLCoder's own markup has no such byte, so every one found comes from a value.
    static func referencingControlCharacters(_ document: Data) -> Data {
        func isReferenced(_ byte: UInt8) -> Bool { byte < 0x20 && byte != 0x09 && byte != 0x0A }
        guard document.contains(where: isReferenced) else { return document }
        var result = Data(capacity: document.count + 16)
        for byte in document {
            if isReferenced(byte) { result.append(contentsOf: Array("&#\(byte);".utf8)) } else { result.append(byte) }
        }
        return result
    }

    /// Decodes a request document whose document element must be `document`'s; keys and values keep their
    /// whitespace (S3 keys may have spaces). MalformedXML, as S3 answers, for a document that does not
    /// parse, is over `XMLShapeCheck`'s limits, has another document element (`<Foo>` sent to
    /// DeleteObjects must not delete anything) or does not fit `T`.
    static func decodeRequest<T: Decodable>(_ type: T.Type, _ document: S3RequestDocument, from data: Data,
                                            resource: String) throws(S3Error) -> T {
        guard XMLShapeCheck.rootName(of: data, maximumElements: document.maximumElements) == document.root else {
            throw .malformedXML(resource)
        }
        let decoder = XMLDecoder()
        decoder.trimValueWhitespaces = false
        decoder.shouldProcessNamespaces = true
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw .malformedXML(resource)
        }
    }
}

/// The request documents S3 operations take: their document element, and how many elements a valid
/// one can have at most (the check stops there, so a document of a million keys costs no decoding).
enum S3RequestDocument {
    /// DeleteObjects: 1,000 `<Object>`s of at most six members.
    case delete
    /// CompleteMultipartUpload: 10,000 `<Part>`s with a number, an ETag and every checksum member.
    case completeMultipartUpload
    /// CreateBucket's optional configuration (location, bucket info, up to 50 tags).
    case createBucketConfiguration
    /// PutObjectAcl and PutBucketAcl: an owner and up to 100 grants of a grantee (four members) and a permission.
    case accessControlPolicy

    var root: String {
        switch self {
        case .delete: "Delete"
        case .completeMultipartUpload: "CompleteMultipartUpload"
        case .createBucketConfiguration: "CreateBucketConfiguration"
        case .accessControlPolicy: "AccessControlPolicy"
        }
    }

    var maximumElements: Int {
        switch self {
        case .delete: 8_000
        case .completeMultipartUpload: 100_000
        case .createBucketConfiguration, .accessControlPolicy: 1_000
        }
    }
}
