/// One page of an already ordered list, for the Logs operations that page by position
/// (DescribeLogStreams `s/<offset>`, FilterLogEvents `o/<offset>`).
struct OffsetPage<Item> {
    let items: ArraySlice<Item>
    /// The token of the next page; nil on the last.
    let nextToken: String?

    /// The page after the offset in `token`, which must carry `kind`, as the previous page handed it out.
    init(_ all: [Item], token: String?, kind: String, limit: Int) throws {
        var offset = 0
        if let token {
            guard token.hasPrefix(kind + "/"), let value = Int(token.dropFirst(kind.count + 1)), value >= 0 else {
                throw LogsError.invalidParameter("The specified nextToken is invalid.")
            }
            offset = value
        }
        items = all.dropFirst(offset).prefix(limit)
        nextToken = offset + items.count < all.count ? "\(kind)/\(offset + items.count)" : nil
    }
}
