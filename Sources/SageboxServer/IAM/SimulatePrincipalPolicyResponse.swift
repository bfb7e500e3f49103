/// IAM SimulatePrincipalPolicy's answer: one EvaluationResult per action asked about, on one page.
struct SimulatePrincipalPolicyResponse: Encodable {
    struct EvaluationResult: Encodable {
        let EvalActionName: String
        let EvalResourceName: String
        let EvalDecision: String
    }

    /// A query-protocol list: its items as repeated `<member>` elements.
    struct Members: Encodable {
        let member: [EvaluationResult]
    }

    struct Result: Encodable {
        let EvaluationResults: Members
        let IsTruncated: Bool
    }

    let SimulatePrincipalPolicyResult: Result
    let ResponseMetadata: ResponseMetadata
}
