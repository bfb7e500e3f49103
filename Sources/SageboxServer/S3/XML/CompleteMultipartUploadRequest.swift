/// CompleteMultipartUpload's request document: `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…`.
struct CompleteMultipartUploadRequest: Decodable {
    struct CompletedPart: Decodable {
        let PartNumber: Int
        let ETag: String
    }

    let Part: [CompletedPart]

    enum CodingKeys: String, CodingKey { case Part }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        Part = try container.decodeIfPresent([CompletedPart].self, forKey: .Part) ?? []
    }
}
