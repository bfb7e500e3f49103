import FakeS3

/// S3 errors that only the REST layer raises, in S3's wording.
extension S3Error {
    /// InvalidRange (416): the Range starts past the end of the object.
    static func invalidRange(_ resource: String) -> S3Error {
        S3Error(code: "InvalidRange", message: "The requested range is not satisfiable", httpStatus: 416, resource: resource)
    }

    /// InvalidPartNumber (416): GetObject or HeadObject asked for a part the object does not have.
    static func invalidPartNumber(_ resource: String) -> S3Error {
        S3Error(code: "InvalidPartNumber", message: "The requested partnumber is not satisfiable", httpStatus: 416,
                resource: resource)
    }

    /// MalformedXML (400): a request document that does not parse or breaks the schema.
    static func malformedXML(_ resource: String) -> S3Error {
        S3Error(code: "MalformedXML",
                message: "The XML you provided was not well-formed or did not validate against our published schema",
                httpStatus: 400, resource: resource)
    }

    /// NotImplemented (501): an S3 feature sagebox does not serve (yet).
    static func notImplemented(_ resource: String, feature: String) -> S3Error {
        S3Error(code: "NotImplemented", message: "A header you provided implies functionality that is not implemented",
                httpStatus: 501, resource: resource, detail: feature)
    }

    /// InvalidRequest (400) with S3's message for the case.
    static func invalidRequest(_ message: String, resource: String) -> S3Error {
        S3Error(code: "InvalidRequest", message: message, httpStatus: 400, resource: resource)
    }

    /// InvalidURI (400): the path is not valid percent-encoded UTF-8.
    static func invalidURI(_ resource: String) -> S3Error {
        S3Error(code: "InvalidURI", message: "Couldn't parse the specified URI.", httpStatus: 400, resource: resource)
    }
}

extension S3Error {
    /// S3's answer to a body that is too large, cut short or badly framed.
    init(_ error: RequestBodyError, resource: String) {
        switch error {
        case .tooLarge:
            self.init(code: "MaxMessageLengthExceeded", message: "Your request was too big.", httpStatus: 400, resource: resource)
        case .incomplete:
            self.init(code: "IncompleteBody",
                      message: "You did not provide the number of bytes specified by the Content-Length HTTP header",
                      httpStatus: 400, resource: resource)
        case .contentSHA256Mismatch:
            self.init(code: "XAmzContentSHA256Mismatch",
                      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
                      httpStatus: 400, resource: resource)
        case .chunkSignatureMismatch:
            // The chunk's string to sign is not kept: the document carries S3's code and text alone.
            self = AuthFailure.signatureMismatch(accessKeyId: "", provided: "", stringToSign: "", canonicalRequest: "")
                .s3Error(resource: resource)
        case let .malformedFraming(detail):
            self.init(code: "InvalidRequest", message: "The request body's chunked framing is malformed.", httpStatus: 400,
                      resource: resource, detail: detail)
        }
    }
}
