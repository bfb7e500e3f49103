import Foundation
import JobStore
import SageMakerAPI

/// AddTags, ListTags and DeleteTags for processing-job and training-job ARNs (tags kept per job) and
/// for the registry's ARNs: models, model package groups and model packages (tags kept per ARN).
extension JobService {
    /// A resource that carries tags.
    private enum TaggedResource {
        case job(JobRecord)
        case registry(arn: String)

        var arn: String {
            switch self {
            case .job(let job): job.arn
            case .registry(let arn): arn
            }
        }
    }

    /// Adds or overwrites tags on a resource; returns all its tags in key order. More than 50 tags on
    /// the resource is a ValidationException and changes nothing.
    public func addTags(_ request: AddTagsInput) throws -> AddTagsOutput {
        try request.validate()
        let resource = try taggedResource(request.resourceArn!)
        let tags = (request.tags ?? []).map(Self.keyValue)
        let all: [(key: String, value: String)]
        do {
            switch resource {
            case .job(let job): all = try root.jobs.setTags(tags, jobId: job.id!).map { ($0.key, $0.value) }
            case .registry(let arn): all = try root.models.setTags(tags, arn: arn).map { ($0.key, $0.value) }
            }
        } catch let error as JobTagLimitExceeded {
            throw Self.tooManyTags(arn: resource.arn, resultingCount: error.resultingCount, limit: error.limit)
        } catch ModelStoreError.tooManyTags(let count, let limit) {
            throw Self.tooManyTags(arn: resource.arn, resultingCount: count, limit: limit)
        }
        return AddTagsOutput(tags: all.map { Tag(key: $0.key, value: $0.value) })
    }

    /// A resource's tags in key order, `MaxResults` (default 50) at a time.
    public func listTags(_ request: ListTagsInput) throws -> ListTagsOutput {
        try request.validate()
        let resource = try taggedResource(request.resourceArn!)
        let pageSize = request.maxResults ?? 50
        let after = try request.nextToken.map { try TagListToken.lastKey(from: $0, arn: resource.arn) }
        // One extra row tells whether another page follows, so the last page carries no token.
        let rows: [Tag] = switch resource {
        case .job(let job): try root.jobs.tags(jobId: job.id!, afterKey: after, limit: pageSize + 1).map { Tag(key: $0.key, value: $0.value) }
        case .registry(let arn): try root.models.tags(arn: arn, afterKey: after, limit: pageSize + 1).map { Tag(key: $0.key, value: $0.value) }
        }
        let page = rows.prefix(pageSize)
        var response = ListTagsOutput(tags: Array(page))
        if rows.count > pageSize, let last = page.last?.key { response.nextToken = TagListToken.make(arn: resource.arn, lastKey: last) }
        return response
    }

    /// Removes the given keys from a resource's tags; keys it does not carry are ignored.
    public func deleteTags(_ request: DeleteTagsInput) throws -> DeleteTagsOutput {
        try request.validate()
        switch try taggedResource(request.resourceArn!) {
        case .job(let job): try root.jobs.removeTags(keys: request.tagKeys ?? [], jobId: job.id!)
        case .registry(let arn): try root.models.removeTags(keys: request.tagKeys ?? [], arn: arn)
        }
        return DeleteTagsOutput()
    }

    /// The request's Tags as the store takes them (a tag without a Value has the empty value).
    static func keyValue(_ tag: Tag) -> (key: String, value: String) {
        (key: tag.key ?? "", value: tag.value ?? "")
    }

    static func tooManyTags(arn: String, resultingCount: Int, limit: Int) -> AWSServiceError {
        AWSServiceError.validation(
            "Too many tags: resource \(arn) would have \(resultingCount) tags; the limit is \(limit) tags per resource.")
    }

    /// The resource an ARN names; any other ARN, or one of a resource that does not exist (in this
    /// region and account), is a ValidationException as SageMaker reports an unknown resource.
    private func taggedResource(_ arn: String) throws -> TaggedResource {
        let kinds: [(JobKind, String)] = [(.processing, "processing-job"), (.training, "training-job")]
        let named = kinds.lazy.compactMap { kind, type in SageMakerArn(parsing: arn, resourceType: type).map { (kind, $0.name) } }.first
        if let (kind, name) = named, let job = try root.jobs.job(named: name, kind: kind), job.arn == arn {
            return .job(job)
        }
        // The registry stores its ARNs as it hands them out, so an exact match is the lookup.
        // Pipelines keep theirs in the registry's per-ARN table too.
        if try root.models.resourceExists(arn: arn) || root.pipelines.pipeline(arn: arn) != nil { return .registry(arn: arn) }
        throw AWSServiceError.validation("Could not find resource \(arn)")
    }
}
