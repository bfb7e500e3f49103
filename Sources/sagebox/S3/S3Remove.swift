import ArgumentParser
import FakeS3

struct S3Remove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an object, or every object under a prefix.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "s3://bucket/key")
    var location: String

    @Flag(help: "Delete every object under the prefix.")
    var recursive = false

    func run() throws {
        let uri = try s3Argument(location, requireKey: !recursive)
        let s3 = try global.open().s3
        let keys = recursive ? try calling("ListObjectsV2") { try s3.allKeys(bucket: uri.bucket, prefix: uri.key) } : [uri.key]
        for key in keys {
            try calling("DeleteObject") { try s3.deleteObject(bucket: uri.bucket, key: key) }
            Output.line("delete: s3://\(uri.bucket)/\(key)")
        }
    }
}
