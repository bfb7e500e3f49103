/// IAM GetRole's answer.
struct GetRoleResponse: Encodable {
    struct Role: Encodable {
        let Path: String
        let RoleName: String
        let RoleId: String
        let Arn: String
        let CreateDate: String
        let AssumeRolePolicyDocument: String
        let MaxSessionDuration: Int
    }

    struct Result: Encodable {
        let Role: Role
    }

    let GetRoleResult: Result
    let ResponseMetadata: ResponseMetadata
}
