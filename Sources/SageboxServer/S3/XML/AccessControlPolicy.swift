import XMLCoder

/// GetObjectAcl's and GetBucketAcl's answer. sagebox keeps no ACL: every bucket and object has the one
/// S3 gives by default (the canned ACL `private`), its owner with FULL_CONTROL.
struct AccessControlPolicy: Encodable {
    struct GrantList: Encodable {
        let Grant: [GrantEntry]
    }

    struct GrantEntry: Encodable {
        let Grantee: GranteeEntry
        let Permission: String
    }

    /// A canonical user, typed with `xsi:type` as S3 writes it (botocore reads the type from that attribute).
    struct GranteeEntry: Encodable, DynamicNodeEncoding {
        let namespace = "http://www.w3.org/2001/XMLSchema-instance"
        let type = "CanonicalUser"
        let ID: String
        let DisplayName: String

        enum CodingKeys: String, CodingKey {
            case namespace = "xmlns:xsi", type = "xsi:type", ID, DisplayName
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.contains(":") ? .attribute : .element
        }
    }

    let Owner: ListAllMyBucketsResult.Owner
    let AccessControlList: GrantList

    /// The owner's FULL_CONTROL, the only ACL sagebox has.
    init(ownerFullControl owner: ListAllMyBucketsResult.Owner) {
        Owner = owner
        AccessControlList = GrantList(Grant: [GrantEntry(Grantee: GranteeEntry(ID: owner.ID, DisplayName: owner.DisplayName),
                                                         Permission: "FULL_CONTROL")])
    }
}

/// PutObjectAcl's and PutBucketAcl's request document, as far as sagebox reads it.
struct AccessControlPolicyRequest: Decodable {
    struct OwnerEntry: Decodable {
        let ID: String?
    }

    struct GrantList: Decodable {
        let Grant: [GrantEntry]

        enum CodingKeys: String, CodingKey { case Grant }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            Grant = try container.decodeIfPresent([GrantEntry].self, forKey: .Grant) ?? []
        }
    }

    struct GrantEntry: Decodable {
        let Grantee: GranteeEntry?
        let Permission: String?
    }

    struct GranteeEntry: Decodable {
        let ID: String?
        let URI: String?
        let EmailAddress: String?
    }

    let Owner: OwnerEntry?
    let AccessControlList: GrantList?
}
