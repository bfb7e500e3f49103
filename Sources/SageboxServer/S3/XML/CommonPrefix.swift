/// One `<CommonPrefixes>` entry of ListObjects.
struct CommonPrefix: Encodable {
    let Prefix: String
}
