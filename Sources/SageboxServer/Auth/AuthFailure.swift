import FakeS3
import Foundation
import Hummingbird
import SageMakerAPI

/// Why a request's signature is refused, answered in the protocol of the service it is for with that
/// service's own code and text: S3's XML errors, the JSON services' `__type`s, the query services' codes.
enum AuthFailure: Error, Sendable, Equatable {
    /// Neither an Authorization header nor a presigned query.
    case missing
    /// SigV2 outside S3 (`AWS AKID:sig`, `?AWSAccessKeyId=&Signature=`) or SigV4a.
    case unsupportedMechanism
    case malformedHeader(String)
    case malformedQuery(String)
    /// No X-Amz-Date (sagebox does not take the Date header instead) or an unreadable one.
    case missingDate
    case unknownKey(String)
    /// `canonicalRequest` is empty for SigV2, whose string to sign is the whole story.
    case signatureMismatch(accessKeyId: String, provided: String, stringToSign: String, canonicalRequest: String)
    /// The request time is more than the allowed skew away from the server's.
    case skewed(requestTime: String, serverTime: Date, limit: Int)
    /// A presigned URL past X-Amz-Expires.
    case expired(expires: Date, serverTime: Date)
    /// A presigned URL whose X-Amz-Date is ahead of the server's clock by more than the skew allowed.
    case notYetValid(requestTime: String, expires: Date, serverTime: Date)
    /// S3 requires x-amz-content-sha256 with a signed header.
    case missingContentSHA256
    case invalidContentSHA256

    /// 403 or 400 in the service's own protocol.
    func response(for route: ServiceRoute, resource: String, requestId: String, isHead: Bool) -> Response {
        switch route {
        case .s3:
            return S3Handler.errorResponse(s3Error(resource: resource), requestId: requestId, isHead: isHead,
                                           annotate: annotate)
        case .queryProtocol:
            let error = queryError
            return QueryProtocolHandler.error(code: error.code, message: error.message, status: error.httpStatus,
                                              requestId: requestId)
        case .sageMaker, .logs, .unknownTarget, .reset:
            return Reply.json(jsonError.jsonBody, status: jsonError.httpStatus)
        }
    }

    static let mismatchText = "The request signature we calculated does not match the signature you provided."
    static let invalidTokenText = "The security token included in the request is invalid."

    func s3Error(resource: String) -> S3Error {
        switch self {
        case .missing:
            S3Error(code: "AccessDenied", message: "Access Denied", httpStatus: 403, resource: resource)
        case .unsupportedMechanism:
            S3Error.invalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                                   resource: resource)
        case let .malformedHeader(detail):
            S3Error(code: "AuthorizationHeaderMalformed", message: "The authorization header is malformed; \(detail)",
                    httpStatus: 400, resource: resource)
        case let .malformedQuery(detail):
            S3Error(code: "AuthorizationQueryParametersError", message: detail, httpStatus: 400, resource: resource)
        case .missingDate:
            S3Error(code: "AccessDenied", message: "AWS authentication requires a valid Date or x-amz-date header",
                    httpStatus: 403, resource: resource)
        case .unknownKey:
            S3Error(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
                    httpStatus: 403, resource: resource)
        case .signatureMismatch:
            S3Error(code: "SignatureDoesNotMatch", message: "\(Self.mismatchText) Check your key and signing method.",
                    httpStatus: 403, resource: resource)
        case .skewed:
            S3Error(code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large.",
                    httpStatus: 403, resource: resource)
        case .expired:
            S3Error(code: "AccessDenied", message: "Request has expired", httpStatus: 403, resource: resource)
        case .notYetValid:
            S3Error(code: "AccessDenied", message: "Request is not yet valid", httpStatus: 403, resource: resource)
        case .missingContentSHA256:
            S3Error.invalidRequest("Missing required header for this request: x-amz-content-sha256", resource: resource)
        case .invalidContentSHA256:
            S3Error(code: "InvalidArgument", message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                        + "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                    httpStatus: 400, resource: resource)
        }
    }

    /// The members S3's error document adds for the failure, which clients show to debug their signing.
    func annotate(_ document: inout S3ErrorDocument) {
        switch self {
        case let .unknownKey(id):
            document.AWSAccessKeyId = EchoedText.safe(id)
        case let .signatureMismatch(id, provided, stringToSign, canonicalRequest):
            document.AWSAccessKeyId = EchoedText.safe(id)
            document.SignatureProvided = EchoedText.safe(provided)
            document.StringToSign = EchoedText.safe(stringToSign, limit: 4096)
            if !canonicalRequest.isEmpty { document.CanonicalRequest = EchoedText.safe(canonicalRequest, limit: 4096) }
        case let .skewed(requestTime, serverTime, limit):
            document.RequestTime = EchoedText.safe(requestTime)
            document.ServerTime = Self.iso(serverTime)
            document.MaxAllowedSkewMilliseconds = limit * 1000
        case let .expired(expires, serverTime), let .notYetValid(_, expires, serverTime):
            document.Expires = Self.iso(expires)
            document.ServerTime = Self.iso(serverTime)
        default:
            break
        }
    }

    /// The JSON 1.1 services' answers (SageMaker, CloudWatch Logs).
    var jsonError: AWSServiceError {
        serviceError(ServiceCodes(missing: "MissingAuthenticationTokenException", missingText: "Missing Authentication Token",
                                  unknownKey: "UnrecognizedClientException", unknownKeyStatus: 400,
                                  mismatch: "InvalidSignatureException", incomplete: "IncompleteSignatureException"))
    }

    /// The query services' answers (STS, IAM).
    var queryError: AWSServiceError {
        serviceError(ServiceCodes(missing: "MissingAuthenticationToken", missingText: "Request is missing Authentication Token",
                                  unknownKey: "InvalidClientTokenId", unknownKeyStatus: 403,
                                  mismatch: "SignatureDoesNotMatch", incomplete: "IncompleteSignature"))
    }

    /// Where the JSON and the query services name the same failures differently.
    private struct ServiceCodes {
        let missing: String
        let missingText: String
        let unknownKey: String
        let unknownKeyStatus: Int
        let mismatch: String
        let incomplete: String
    }

    private func serviceError(_ codes: ServiceCodes) -> AWSServiceError {
        switch self {
        case .missing:
            AWSServiceError(code: codes.missing, message: codes.missingText, httpStatus: 403)
        case .unknownKey:
            AWSServiceError(code: codes.unknownKey, message: Self.invalidTokenText, httpStatus: codes.unknownKeyStatus)
        case .signatureMismatch:
            AWSServiceError(code: codes.mismatch, message: Self.serviceMismatchText, httpStatus: 403)
        case .skewed, .expired, .notYetValid:
            AWSServiceError(code: codes.mismatch, message: expiryText, httpStatus: 403)
        default:
            AWSServiceError(code: codes.incomplete, message: incompleteText, httpStatus: 400)
        }
    }

    static let serviceMismatchText = mismatchText
        + " Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    /// The services' text for a request signed too long ago (or ahead), or a presigned URL past its time.
    private var expiryText: String {
        switch self {
        case let .skewed(requestTime, serverTime, limit):
            let minutes = limit / 60
            if let time = SignedRequest.time(requestTime), time > serverTime {
                return "Signature not yet current: \(requestTime) is still later than "
                    + "\(Self.compact(serverTime.addingTimeInterval(Double(limit)))) (\(Self.compact(serverTime)) + \(minutes) min.)"
            }
            return "Signature expired: \(requestTime) is now earlier than "
                + "\(Self.compact(serverTime.addingTimeInterval(-Double(limit)))) (\(Self.compact(serverTime)) - \(minutes) min.)"
        case let .expired(expires, serverTime):
            return "Signature expired: \(Self.compact(expires)) is now earlier than \(Self.compact(serverTime))"
        case let .notYetValid(requestTime, _, serverTime):
            return AuthFailure.skewed(requestTime: requestTime, serverTime: serverTime, limit: SignatureVerifier.s3Skew).expiryText
        default:
            return ""
        }
    }

    /// The S3 text or the reason for the parts sagebox could not read.
    private var incompleteText: String {
        switch self {
        case let .malformedHeader(detail), let .malformedQuery(detail): detail
        case .missingDate: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        default: s3Error(resource: "/").message
        }
    }

    /// `2026-12-01T02:51:09Z`, as S3's error documents write times.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// `yyyyMMddTHHmmssZ`, X-Amz-Date's form.
    static func compact(_ date: Date) -> String {
        iso(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}
