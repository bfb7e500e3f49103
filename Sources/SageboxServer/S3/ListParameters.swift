import FakeS3

/// The query parameters ListObjects v1 and v2 share.
struct ListParameters {
    let prefix: String
    let delimiter: String?
    /// 0...1000: S3 never returns more than 1,000 keys, whatever max-keys asks.
    let maxKeys: Int
    /// `url` when the client asked for encoded keys (botocore always does, and decodes them).
    let encodingType: String?

    init(_ query: QueryString, resource: String) throws {
        prefix = query["prefix"] ?? ""
        delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = query["max-keys"] {
            guard let value = Int(text), value >= 0, value <= Int(Int32.max) else {
                throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range", resource: resource)
            }
            maxKeys = min(value, 1000)
        } else {
            maxKeys = 1000
        }
        switch query["encoding-type"] {
        case nil: encodingType = nil
        case "url": encodingType = "url"
        case let other?: throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", resource: resource + " (\(other))")
        }
    }

    /// Encodes keys and prefixes for the answer when `encoding-type=url` was asked.
    var encoder: (String) -> String {
        encodingType == "url" ? { PercentEncoding.encode($0) } : { $0 }
    }
}
