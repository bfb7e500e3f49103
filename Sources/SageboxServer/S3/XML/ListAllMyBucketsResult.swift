/// ListBuckets' answer.
struct ListAllMyBucketsResult: Encodable {
    struct Owner: Encodable {
        let ID: String
        let DisplayName: String
    }

    struct Buckets: Encodable {
        let Bucket: [BucketEntry]?
    }

    struct BucketEntry: Encodable {
        let Name: String
        let CreationDate: String
    }

    let Owner: Owner
    let Buckets: Buckets
}
