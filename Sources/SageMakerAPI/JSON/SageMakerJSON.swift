import Foundation

/// JSON coding for the SageMaker JSON 1.1 wire format.
///
/// Timestamps are epoch seconds: requests may carry integers or decimals; responses carry seconds
/// with milliseconds. Keys are sorted and `nil` members are left out, as AWS leaves nulls out.
public enum SageMakerJSON {
    /// An encoder for responses: epoch-second timestamps (millisecond precision), sorted keys.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(epochSecondsWithMilliseconds(date))
        }
        return encoder
    }

    /// A decoder for requests: timestamps are JSON numbers of epoch seconds, whole or fractional.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let seconds = try decoder.singleValueContainer().decode(Double.self)
            return Date(timeIntervalSince1970: seconds)
        }
        return decoder
    }

    /// Decodes a request body, reporting malformed JSON and wrong member types as
    /// `SerializationException` with the member's path. Unknown members are ignored, and an
    /// empty body counts as `{}`.
    public static func decodeRequest<T: Decodable>(_ type: T.Type, from body: Data) throws(AWSServiceError) -> T {
        let json = body.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } ? Data("{}".utf8) : body
        let value: JSONValue
        do {
            value = try plainDecoder.decode(JSONValue.self, from: json)
        } catch {
            throw .serialization("The request body is not valid JSON.")
        }
        if let structure = T.self as? any WireStructure.Type,
           let mismatch = WireTypeChecker.firstMismatch(in: value, expected: .structure(structure), at: .root) {
            throw .serialization(mismatch)
        }
        do {
            return try requestDecoder.decode(T.self, from: json)
        } catch {
            // The wire type check above catches type errors first; this is a last resort.
            throw .serialization("The request body could not be deserialized: \(error).")
        }
    }

    /// `request` with each number or boolean that stands where `T`'s model wants a string replaced by
    /// `text(value)`. A pipeline step's evaluated arguments may put an Integer, Float or Boolean parameter in a
    /// string member (the SDK v3's ModelTrainer writes `{"Get": "Parameters.MaxDepth"}` into HyperParameters,
    /// where the SDK v2 wrapped it in a `Std:Join`); the service passes the value on as its text.
    public static func scalarsAsText<T: Decodable>(_ request: JSONValue, for type: T.Type, text: (JSONValue) -> String) -> JSONValue {
        guard let structure = T.self as? any WireStructure.Type else { return request }
        return WireTypeCoercion.scalarsAsText(in: request, expected: .structure(structure), text: text)
    }

    /// Encodes a response body (sorted keys, `nil` members left out).
    public static func encodeResponse<T: Encodable>(_ value: T) throws -> Data {
        try responseEncoder.encode(value)
    }

    // One of each for every request, never changed after they are made (`encoder` and `decoder` give
    // callers their own, which they may change): making them anew cost a few percent of a Describe.
    private static let responseEncoder = encoder
    private static let requestDecoder = decoder
    private static let plainDecoder = JSONDecoder()

    /// A timestamp as epoch seconds rounded to milliseconds, the precision AWS sends.
    static func epochSecondsWithMilliseconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded() / 1000
    }
}
