/// CreateBucket's optional request document.
struct CreateBucketConfiguration: Decodable {
    let LocationConstraint: String?
}
