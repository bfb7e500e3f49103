/// GetBucketLocation's answer for us-east-1, sagebox's only region: an empty `LocationConstraint`
/// element (XMLCoder cannot write a top-level text value, and no other value is ever needed).
struct LocationConstraint: Encodable {}
