import Hummingbird

/// STS: GetCallerIdentity, always the one local user (the SageMaker SDK names its default bucket
/// `sagemaker-{region}-{account}` from it).
enum STSHandler {
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    static let userArn = "arn:aws:iam::\(QueryProtocolHandler.account):user/sagebox"

    static func getCallerIdentity(requestId: String) -> Response {
        let document = GetCallerIdentityResponse(
            GetCallerIdentityResult: .init(Arn: userArn, UserId: "AIDASAGEBOXLOCALUSER", Account: QueryProtocolHandler.account),
            ResponseMetadata: ResponseMetadata(RequestId: requestId))
        return Reply.xml(QueryProtocolHandler.xml(document, root: "GetCallerIdentityResponse", namespace: namespace), contentType: "text/xml")
    }
}
