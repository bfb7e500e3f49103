import Foundation
import Hummingbird

/// IAM: GetRole, for the bare role names the SageMaker SDK expands into ARNs, and SimulatePrincipalPolicy, with
/// which the SDK v3's ModelTrainer validates its role before it creates a training job. Every role exists,
/// trusting SageMaker; nothing checks permissions, so every simulated action is allowed.
enum IAMHandler {
    static let namespace = "https://iam.amazonaws.com/doc/2010-05-08/"
    /// The trust policy, URL-encoded as IAM sends it.
    static let trustPolicy = PercentEncoding.encode(
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        keepSlash: false)

    static func getRole(form: QueryString, requestId: String) -> Response {
        guard let name = form["RoleName"], !name.isEmpty else {
            return missing("roleName", requestId: requestId)
        }
        let role = GetRoleResponse.Role(
            Path: "/", RoleName: name, RoleId: roleId(name),
            Arn: "arn:aws:iam::\(QueryProtocolHandler.account):role/\(name)",
            CreateDate: Timestamps.iso8601(Date(timeIntervalSince1970: 1_704_067_200)),
            AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: 3600)
        let document = GetRoleResponse(GetRoleResult: .init(Role: role), ResponseMetadata: ResponseMetadata(RequestId: requestId))
        return Reply.xml(QueryProtocolHandler.xml(document, root: "GetRoleResponse", namespace: namespace), contentType: "text/xml")
    }

    static func simulatePrincipalPolicy(form: QueryString, requestId: String) -> Response {
        guard let source = form["PolicySourceArn"], !source.isEmpty else {
            return missing("policySourceArn", requestId: requestId)
        }
        // The query protocol sends a list as ActionNames.member.1, .2, ...
        let actions = Array((1...).lazy.map { form["ActionNames.member.\($0)"] }.prefix { $0 != nil }.compactMap { $0 })
        guard !actions.isEmpty else {
            return missing("actionNames", requestId: requestId)
        }
        let results = actions.map {
            SimulatePrincipalPolicyResponse.EvaluationResult(EvalActionName: $0, EvalResourceName: "*", EvalDecision: "allowed")
        }
        let document = SimulatePrincipalPolicyResponse(
            SimulatePrincipalPolicyResult: .init(EvaluationResults: .init(member: results), IsTruncated: false),
            ResponseMetadata: ResponseMetadata(RequestId: requestId))
        return Reply.xml(QueryProtocolHandler.xml(document, root: "SimulatePrincipalPolicyResponse", namespace: namespace),
                         contentType: "text/xml")
    }

    /// IAM's answer to a request without a required member (named as IAM's model spells it).
    static func missing(_ member: String, requestId: String) -> Response {
        QueryProtocolHandler.error(
            code: "ValidationError",
            message: "1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null",
            status: 400, requestId: requestId)
    }

    /// A stable role id derived from the name (FNV-1a), so repeated calls agree.
    static func roleId(_ name: String) -> String {
        let hash = name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return "AROA" + String(hash, radix: 36).uppercased()
    }
}
