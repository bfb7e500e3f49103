/// S3's error body: `<Error><Code/><Message/><Resource/><RequestId/></Error>`, plus the members some codes add.
struct S3ErrorDocument: Encodable {
    let Code: String
    let Message: String
    let Resource: String
    let RequestId: String
    /// InvalidPartNumber only: the part GetObject or HeadObject asked for, and the object's number of parts.
    var PartNumberRequested: Int? = nil
    var ActualPartCount: Int? = nil
    /// Signature failures (`serve --credentials`): what S3 tells a client to debug its signing with.
    var AWSAccessKeyId: String? = nil
    var SignatureProvided: String? = nil
    var StringToSign: String? = nil
    var CanonicalRequest: String? = nil
    var RequestTime: String? = nil
    var ServerTime: String? = nil
    var MaxAllowedSkewMilliseconds: Int? = nil
    var Expires: String? = nil
}
