import Foundation
import JobStore
import SageMakerAPI

/// AddTags, ListTags and DeleteTags for processing-job and training-job ARNs.
extension JobService {
    /// Adds or overwrites tags on a job; returns all the job's tags in key order. More than 50 tags on
    /// the job is a ValidationException and changes nothing.
    public func addTags(_ request: AddTagsInput) throws -> AddTagsOutput {
        try request.validate()
        let job = try taggedJob(request.resourceArn!)
        do {
            let all = try root.jobs.setTags((request.tags ?? []).map(Self.keyValue), jobId: job.id!)
            return AddTagsOutput(tags: all.map { Tag(key: $0.key, value: $0.value) })
        } catch let error as JobTagLimitExceeded {
            throw Self.tooManyTags(arn: job.arn, error)
        }
    }

    /// A job's tags in key order, `MaxResults` (default 50) at a time.
    public func listTags(_ request: ListTagsInput) throws -> ListTagsOutput {
        try request.validate()
        let job = try taggedJob(request.resourceArn!)
        let pageSize = request.maxResults ?? 50
        let after = try request.nextToken.map { try TagListToken.lastKey(from: $0, arn: job.arn) }
        // One extra row tells whether another page follows, so the last page carries no token.
        let rows = try root.jobs.tags(jobId: job.id!, afterKey: after, limit: pageSize + 1)
        let page = rows.prefix(pageSize)
        var response = ListTagsOutput(tags: page.map { Tag(key: $0.key, value: $0.value) })
        if rows.count > pageSize, let last = page.last { response.nextToken = TagListToken.make(arn: job.arn, lastKey: last.key) }
        return response
    }

    /// Removes the given keys from a job's tags; keys it does not carry are ignored.
    public func deleteTags(_ request: DeleteTagsInput) throws -> DeleteTagsOutput {
        try request.validate()
        let job = try taggedJob(request.resourceArn!)
        try root.jobs.removeTags(keys: request.tagKeys ?? [], jobId: job.id!)
        return DeleteTagsOutput()
    }

    /// The request's Tags as the store takes them (a tag without a Value has the empty value).
    static func keyValue(_ tag: Tag) -> (key: String, value: String) {
        (key: tag.key ?? "", value: tag.value ?? "")
    }

    static func tooManyTags(arn: String, _ error: JobTagLimitExceeded) -> AWSServiceError {
        AWSServiceError.validation(
            "Too many tags: resource \(arn) would have \(error.resultingCount) tags; the limit is \(error.limit) tags per resource.")
    }

    /// The job a processing-job or training-job ARN names; any other ARN, or one of a job that does not exist (in this
    /// region and account), is a ValidationException as SageMaker reports an unknown resource.
    private func taggedJob(_ arn: String) throws -> JobRecord {
        let kinds: [(JobKind, String)] = [(.processing, "processing-job"), (.training, "training-job")]
        let named = kinds.lazy.compactMap { kind, type in SageMakerArn(parsing: arn, resourceType: type).map { (kind, $0.name) } }.first
        guard let (kind, name) = named, let job = try root.jobs.job(named: name, kind: kind), job.arn == arn else {
            throw AWSServiceError.validation("Could not find resource \(arn)")
        }
        return job
    }
}
