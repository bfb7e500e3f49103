import Foundation

/// Names the service gives an execution and the jobs of its steps (spec §3 "Job names", "ExecutionId").
public enum PipelineNames {
    static let lowercaseAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// 12 lowercase alphanumerics (`ztefwbnlgoif`, `cfvy1tjuxdq8`).
    public static func executionId<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<12).map { _ in lowercaseAlphanumerics.randomElement(using: &generator)! })
    }

    public static func executionId() -> String {
        var generator = SystemRandomNumberGenerator()
        return executionId(using: &generator)
    }

    /// `pipelines-<execution id>-<step name cut to 20>-<10 random alphanumerics>`
    /// (`pipelines-kytlemm1lvpq-PreprocessingStep-cIpzShs3Qp`; open question 9: case kept, as newer names do).
    /// At most 10 + 12 + 1 + 20 + 1 + 10 = 54 characters, within the 63 a job name allows.
    public static func jobName<G: RandomNumberGenerator>(executionId: String, stepName: String, using generator: inout G) -> String {
        let suffix = String((0..<10).map { _ in alphanumerics.randomElement(using: &generator)! })
        return "pipelines-\(executionId)-\(stepName.prefix(20))-\(suffix)"
    }

    public static func jobName(executionId: String, stepName: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return jobName(executionId: executionId, stepName: stepName, using: &generator)
    }

    /// `arn:aws:sagemaker:<region>:<account>:pipeline/<PipelineName>/execution/<id>`; the service writes
    /// the pipeline name lowercased inside ARNs (spec §3, the real FailureReason transcript).
    public static func executionArn(region: String, account: String, pipelineName: String, executionId: String) -> String {
        "arn:aws:sagemaker:\(region):\(account):pipeline/\(pipelineName.lowercased())/execution/\(executionId)"
    }
}
