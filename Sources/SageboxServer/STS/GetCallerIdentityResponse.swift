/// STS GetCallerIdentity's answer.
struct GetCallerIdentityResponse: Encodable {
    struct Result: Encodable {
        let Arn: String
        let UserId: String
        let Account: String
    }

    let GetCallerIdentityResult: Result
    let ResponseMetadata: ResponseMetadata
}
