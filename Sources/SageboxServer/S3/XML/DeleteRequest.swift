/// DeleteObjects' request document: `<Delete><Quiet/><Object><Key/></Object>…</Delete>`.
struct DeleteRequest: Decodable {
    struct ObjectIdentifier: Decodable {
        let Key: String
        let VersionId: String?
    }

    let Quiet: Bool?
    let Object: [ObjectIdentifier]

    enum CodingKeys: String, CodingKey { case Quiet, Object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        Quiet = try container.decodeIfPresent(Bool.self, forKey: .Quiet)
        Object = try container.decodeIfPresent([ObjectIdentifier].self, forKey: .Object) ?? []
    }
}
