import ArgumentParser

/// `sagebox s3 …`: the fake S3, with the verbs and output of `aws s3`.
struct S3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "Work with the fake S3's buckets and objects, as `aws s3` does.",
        subcommands: [S3MakeBucket.self, S3RemoveBucket.self, S3Copy.self, S3List.self, S3Remove.self])

    @OptionGroup var global: GlobalOptions
}

/// Parses an `s3://` argument or fails with a usage error.
func s3Argument(_ text: String, requireKey: Bool = false) throws -> S3Location {
    guard let uri = S3Location(text), !requireKey || !uri.key.isEmpty else {
        throw ValidationError("'\(text)' is not an S3 URI of the form s3://bucket\(requireKey ? "/key" : "[/prefix]").")
    }
    return uri
}
