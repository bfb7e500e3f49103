import Foundation
import SageMakerAPI

/// ListTags' NextToken: opaque to clients, it holds the ARN it belongs to and the last key of the
/// page, so the next page starts after that key even if tags changed in between.
enum TagListToken {
    static func make(arn: String, lastKey: String) -> String {
        Data("tags-v1\u{1}\(arn)\u{1}\(lastKey)".utf8).base64EncodedString()
    }

    /// The key the next page starts after; a token made for another ARN or not made here is refused.
    static func lastKey(from token: String, arn: String) throws -> String {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = text.split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "tags-v1", parts[1] == Substring(arn) else { throw invalid }
        return String(parts[2])
    }

    private static let invalid = AWSServiceError.validation("The NextToken is invalid or does not belong to this request.")
}
