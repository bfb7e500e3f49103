/// Where a member sits in a request, written as AWS writes it in ValidationException messages:
/// lowerCamelCase member names joined by `.`, list elements as `{list}.{1-based index}.member`.
public struct ValidationPath: Sendable, Hashable, CustomStringConvertible {
    /// The path text, empty for the request itself.
    public let description: String

    /// The request itself.
    public static let root = ValidationPath(description: "")

    private init(description: String) { self.description = description }

    /// True for the request itself.
    public var isRoot: Bool { description.isEmpty }

    /// The path of a member, given its lowerCamelCase name (or, inside a map, its key).
    public func member(_ name: String) -> ValidationPath {
        ValidationPath(description: isRoot ? name : "\(description).\(name)")
    }

    /// The path of a list element, from its 0-based index: `{list}.{index + 1}.member`.
    public func element(_ index: Int) -> ValidationPath {
        ValidationPath(description: "\(description).\(index + 1).member")
    }

    /// AWS's path name for a wire member name: the first character lowercased (S3Input → s3Input).
    public static func memberName(_ wireName: String) -> String {
        wireName.prefix(1).lowercased() + wireName.dropFirst()
    }
}
