import Foundation
import GRDB

extension S3Store {
    /// Rows read per query while listing.
    static let listingBatchSize = 1000

    /// ListObjects (v1 and v2 semantics): keys starting with `prefix`, after `startAfter` (v1's marker,
    /// v2's start-after or decoded continuation token), in UTF-8 byte order. With a `delimiter`, keys
    /// whose rest after the prefix contains it roll up into `commonPrefixes`. Objects and common
    /// prefixes together count toward `maxKeys` (0...2,147,483,647, default 1,000). A start-after equal
    /// to a common prefix skips that whole prefix, so paging with `nextMarker` never repeats one.
    public func listObjects(bucket: String, prefix: String = "", delimiter: String? = nil,
                            startAfter: String? = nil, maxKeys: Int = 1000) throws -> S3ObjectListing {
        try BucketNameRules.validate(bucket)
        guard maxKeys >= 0, maxKeys <= Int(Int32.max) else {
            throw S3Error.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647",
                                          resource: "/\(bucket)")
        }
        return try database.read { db in
            try requireBucket(db, bucket)
            if maxKeys == 0 { return S3ObjectListing(objects: [], commonPrefixes: [], isTruncated: false, nextMarker: nil) }
            return try collectPage(db, bucket: bucket, prefix: prefix, delimiter: delimiter ?? "",
                                   startAfter: startAfter, maxKeys: maxKeys)
        }
    }

    /// Calls `body` with every object whose key starts with `prefix`, in byte order. Reads in pages, each
    /// its own short read, so a long walk (staging) never holds the database.
    public func forEachObject(bucket: String, prefix: String = "", _ body: (S3Object) throws -> Void) throws {
        var marker: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, startAfter: marker,
                                       maxKeys: Self.listingBatchSize)
            try page.objects.forEach(body)
            marker = page.isTruncated ? page.nextMarker : nil
        } while marker != nil
    }

    private func collectPage(_ db: Database, bucket: String, prefix: String, delimiter: String,
                             startAfter: String?, maxKeys: Int) throws -> S3ObjectListing {
        var objects: [S3Object] = []
        var prefixes: [String] = []
        var lastPrefix = startAfter  // a marker that is a common prefix must not come back
        var start = prefix
        var inclusive = true
        if let startAfter, !KeyOrder.precedes(startAfter, prefix) {
            start = startAfter
            inclusive = false
        }
        var count = 0
        while true {
            let rows = try ObjectRow.fetchPage(db, bucket: bucket, from: start, inclusive: inclusive,
                                               limit: Self.listingBatchSize)
            var jumped = false
            for row in rows {
                let key = row.object.key
                guard KeyOrder.hasPrefix(key, prefix) else { return page(objects, prefixes, truncated: false) }
                if let common = KeyOrder.commonPrefix(of: key, prefix: prefix, delimiter: delimiter) {
                    let repeated = lastPrefix.map { common.utf8.elementsEqual($0.utf8) } ?? false
                    if !repeated {
                        if count == maxKeys { return page(objects, prefixes, truncated: true) }
                        prefixes.append(common)
                        lastPrefix = common
                        count += 1
                    }
                    if let next = KeyOrder.successor(ofPrefix: common) {
                        (start, inclusive, jumped) = (next, true, true)
                        break
                    }
                } else {
                    if count == maxKeys { return page(objects, prefixes, truncated: true) }
                    objects.append(row.object)
                    count += 1
                }
                start = key
                inclusive = false
            }
            if !jumped && rows.count < Self.listingBatchSize { return page(objects, prefixes, truncated: false) }
        }
    }

    private func page(_ objects: [S3Object], _ prefixes: [String], truncated: Bool) -> S3ObjectListing {
        let last = [objects.last?.key, prefixes.last].compactMap { $0 }.max(by: KeyOrder.precedes)
        return S3ObjectListing(objects: objects, commonPrefixes: prefixes, isTruncated: truncated,
                               nextMarker: truncated ? last : nil)
    }
}
