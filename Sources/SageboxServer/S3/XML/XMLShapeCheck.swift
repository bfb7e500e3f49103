import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming first look at a request document, before XMLCoder decodes it. XMLCoder builds and walks
/// its tree recursively, so 50,000 nested elements overflowed the stack and killed the server with every
/// job it ran. S3's request documents are three or four levels deep; the SAX parser stops at the first
/// element past `maximumDepth`, or past the document's element count (`S3RequestDocument`), without
/// building anything.
final class XMLShapeCheck: NSObject, XMLParserDelegate {
    /// Far above S3's deepest request document (`<Delete><Object><Key>`), far below a stack's reach.
    static let maximumDepth = 16

    private let maximumElements: Int
    private var depth = 0
    private var elements = 0
    private var root: String?
    private var exceeded = false
    private var rootEnded = false

    private init(maximumElements: Int) {
        self.maximumElements = maximumElements
    }

    /// The document element's name (without namespace prefix) when the document is well-formed, at
    /// most `maximumDepth` deep and has at most `maximumElements` elements; else nil.
    static func rootName(of data: Data, maximumElements: Int) -> String? {
        let check = XMLShapeCheck(maximumElements: maximumElements)
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
        if depth > Self.maximumDepth || elements > maximumElements {
            exceeded = true
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if depth == 0 { rootEnded = true }
    }
}
