import ArgumentParser
import FakeS3

/// `sagebox s3 ls`: buckets, or the objects and folders under a prefix, as `aws s3 ls` prints them.
struct S3List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List buckets, or objects under a prefix.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "s3://bucket[/prefix]; without it, the buckets.")
    var location: String?

    @Flag(help: "List every object under the prefix, not just one level.")
    var recursive = false

    func run() throws {
        let s3 = try global.open().s3
        guard let location else {
            for bucket in try calling("ListBuckets", { try s3.listBuckets() }) {
                Output.line("\(Output.timestamp(bucket.creationDate)) \(bucket.name)")
            }
            return
        }
        let uri = try s3Argument(location)
        var marker: String?
        repeat {
            let page = try calling("ListObjectsV2") {
                try s3.listObjects(bucket: uri.bucket, prefix: uri.key, delimiter: recursive ? nil : "/",
                                   startAfter: marker, maxKeys: 1000)
            }
            for prefix in page.commonPrefixes {
                Output.line("                           PRE \(prefix.dropFirst(folderPrefix(uri).count))")
            }
            for object in page.objects {
                let name = recursive ? object.key : String(object.key.dropFirst(folderPrefix(uri).count))
                let size = String(object.size)
                Output.line("\(Output.timestamp(object.lastModified)) \(String(repeating: " ", count: max(0, 10 - size.count)))\(size) \(name)")
            }
            marker = page.isTruncated ? page.nextMarker : nil
        } while marker != nil
    }

    /// `aws s3 ls` prints names relative to the prefix's last `/`.
    private func folderPrefix(_ uri: S3Location) -> String {
        uri.key.lastIndex(of: "/").map { String(uri.key[...$0]) } ?? ""
    }
}
