import FakeS3
import Foundation
import XMLCoder

/// XML coding for S3's REST protocol: documents in S3's namespace with an XML declaration.
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// Encodes `value` as the document element `root`.
    static func encode<T: Encodable>(_ value: T, root: String, namespaced: Bool = true) throws -> Data {
        try XMLEncoder().encode(value, withRootKey: root,
                                rootAttributes: namespaced ? ["xmlns": namespace] : nil,
                                header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    /// Decodes a request document whose document element must be `root`; keys and values keep their
    /// whitespace (S3 keys may have spaces). MalformedXML, as S3 answers, for a document that does not
    /// parse, is over `XMLShapeCheck`'s limits, has another document element (`<Foo>` sent to
    /// DeleteObjects must not delete anything) or does not fit `T`.
    static func decodeRequest<T: Decodable>(_ type: T.Type, from data: Data, root: String, resource: String) throws(S3Error) -> T {
        guard XMLShapeCheck.rootName(of: data) == root else { throw .malformedXML(resource) }
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
