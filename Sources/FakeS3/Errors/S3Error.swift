/// An error of the fake S3, in Amazon S3's own form: the error `code` and `message` S3 sends, the HTTP
/// status it answers with, and the resource the request named (`/bucket` or `/bucket/key`).
///
/// Every refusal of the store is an `S3Error`. Where S3's message is a fixed text (e.g. NoSuchKey's
/// "The specified key does not exist."), `message` is that text and `detail` may add sagebox's own
/// explanation (which naming rule a bucket name broke); a REST layer sends `code` and `message`.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// S3's error code, e.g. `NoSuchKey`.
    public let code: String
    /// S3's message text for the code.
    public let message: String
    /// The HTTP status S3 answers with.
    public let httpStatus: Int
    /// The resource the request named: `/bucket` or `/bucket/key`.
    public let resource: String
    /// sagebox's explanation beyond S3's fixed text, when there is one.
    public let detail: String?

    /// Creates an error with the given parts.
    public init(code: String, message: String, httpStatus: Int, resource: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.resource = resource
        self.detail = detail
    }

    /// `An error occurred (NoSuchKey): The specified key does not exist. (/b/k)`, the way the AWS CLI
    /// prints it, with the detail appended when there is one.
    public var description: String {
        var text = "An error occurred (\(code)): \(message)"
        if let detail { text += " \(detail)" }
        return text + " (\(resource))"
    }
}

extension S3Error {
    /// NoSuchBucket (404).
    public static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error(code: "NoSuchBucket", message: "The specified bucket does not exist", httpStatus: 404,
                resource: "/\(bucket)")
    }

    /// NoSuchKey (404).
    public static func noSuchKey(bucket: String, key: String) -> S3Error {
        S3Error(code: "NoSuchKey", message: "The specified key does not exist.", httpStatus: 404,
                resource: "/\(bucket)/\(key)")
    }

    /// BucketNotEmpty (409), from DeleteBucket while objects remain.
    public static func bucketNotEmpty(_ bucket: String) -> S3Error {
        S3Error(code: "BucketNotEmpty", message: "The bucket you tried to delete is not empty",
                httpStatus: 409, resource: "/\(bucket)")
    }

    /// BucketAlreadyOwnedByYou (409), from CreateBucket of an existing bucket.
    public static func bucketAlreadyOwnedByYou(_ bucket: String) -> S3Error {
        S3Error(code: "BucketAlreadyOwnedByYou",
                message: "Your previous request to create the named bucket succeeded and you already own it.",
                httpStatus: 409, resource: "/\(bucket)")
    }

    /// InvalidBucketName (400); `detail` names the rule the name breaks.
    public static func invalidBucketName(_ bucket: String, detail: String) -> S3Error {
        S3Error(code: "InvalidBucketName", message: "The specified bucket is not valid.", httpStatus: 400,
                resource: "/\(bucket)", detail: detail)
    }

    /// KeyTooLongError (400), for keys over 1,024 bytes of UTF-8.
    public static func keyTooLong(bucket: String, key: String) -> S3Error {
        S3Error(code: "KeyTooLongError", message: "Your key is too long", httpStatus: 400,
                resource: "/\(bucket)/\(key)", detail: "The maximum allowed key length is 1024 bytes.")
    }

    /// InvalidArgument (400) with a message of its own, as S3 words each case differently.
    public static func invalidArgument(_ message: String, resource: String) -> S3Error {
        S3Error(code: "InvalidArgument", message: message, httpStatus: 400, resource: resource)
    }

    /// InternalError (500): the file system or the store failed; `detail` says what failed.
    public static func internalError(_ detail: String, resource: String) -> S3Error {
        S3Error(code: "InternalError", message: "We encountered an internal error. Please try again.",
                httpStatus: 500, resource: resource, detail: detail)
    }
}
