import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming first look at a request document, before XMLCoder decodes it. XMLCoder builds and walks
/// its tree recursively, so 50,000 nested elements overflowed the stack and killed the server with every
/// job it ran. S3's request documents are three or four levels deep; the SAX parser stops at the first
/// element past `maximumDepth`, or past `maximumElements`, without building anything.
final class XMLShapeCheck: NSObject, XMLParserDelegate {
    /// Far above S3's deepest request document (`<Delete><Object><Key>`), far below a stack's reach.
    static let maximumDepth = 16
    /// CompleteMultipartUpload's 10,000 parts with every checksum member stay below this.
    static let maximumElements = 200_000

    private var depth = 0
    private var elements = 0
    private var root: String?
    private var exceeded = false
    private var rootEnded = false

    /// The document element's name (without namespace prefix) when the document is well-formed and
    /// within the limits, else nil.
    static func rootName(of data: Data) -> String? {
        let check = XMLShapeCheck()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = check
        let parsed = parser.parse()
        // FoundationXML reports a document cut short (`<Delete>`) as parsed: the end of the root says.
        return parsed && !check.exceeded && check.rootEnded ? check.root : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = elementName }
        depth += 1
        elements += 1
        if depth > Self.maximumDepth || elements > Self.maximumElements {
            exceeded = true
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if depth == 0 { rootEnded = true }
    }
}
