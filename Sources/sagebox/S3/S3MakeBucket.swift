import ArgumentParser

struct S3MakeBucket: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create a bucket (CreateBucket).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "s3://bucket")
    var bucket: String

    func run() throws {
        let location = try s3Argument(bucket)
        let s3 = try global.open().s3
        _ = try calling("CreateBucket") { try s3.createBucket(location.bucket) }
        Output.line("make_bucket: \(location.bucket)")
    }
}

struct S3RemoveBucket: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rb", abstract: "Delete an empty bucket (DeleteBucket).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "s3://bucket")
    var bucket: String

    func run() throws {
        let location = try s3Argument(bucket)
        let s3 = try global.open().s3
        try calling("DeleteBucket") { try s3.deleteBucket(location.bucket) }
        Output.line("remove_bucket: \(location.bucket)")
    }
}
