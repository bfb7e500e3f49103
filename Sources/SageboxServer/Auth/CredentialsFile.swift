import Foundation
import ProcessingEngine

/// The access keys `sagebox serve --credentials FILE` accepts, read from a file in the AWS shared-credentials
/// format (`~/.aws/credentials`): one `[profile]` section per key, each with `aws_access_key_id` and
/// `aws_secret_access_key`; other settings (aws_session_token, region) are ignored, as are `#`/`;` comments.
/// The first section's key is the one jobs get.
public struct CredentialsFile: Sendable {
    /// The keys in file order.
    public let keys: [AccessKey]

    /// The secret of `accessKeyId`, or nil when the file does not list it.
    func secret(of accessKeyId: String) -> String? {
        keys.first { $0.id == accessKeyId }?.secret
    }

    /// Reads and checks `url`.
    public init(contentsOf url: URL) throws(CredentialsFileError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CredentialsFileError(message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(text: text, source: url.path)
    }

    init(text: String, source: String) throws(CredentialsFileError) {
        var sections: [(name: String, values: [String: String])] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                sections.append((String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "="), !sections.isEmpty else {
                throw CredentialsFileError(message: "\(source) line \(number + 1): expected `[profile]` or `name = value`")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            sections[sections.count - 1].values[name] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        var keys: [AccessKey] = []
        for section in sections {
            guard let id = section.values["aws_access_key_id"], let secret = section.values["aws_secret_access_key"],
                  !id.isEmpty, !secret.isEmpty else {
                throw CredentialsFileError(message: "\(source): profile [\(section.name)] needs both aws_access_key_id and aws_secret_access_key")
            }
            keys.append(AccessKey(id: id, secret: secret))
        }
        guard !keys.isEmpty else {
            throw CredentialsFileError(message: "\(source) lists no access key (expected `[profile]` sections with aws_access_key_id and aws_secret_access_key)")
        }
        self.keys = keys
    }
}

/// Why a credentials file cannot be used.
public struct CredentialsFileError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "--credentials: \(message)" }
}
