import ProcessingEngine

/// The CLI's name for an `s3://bucket/key` argument.
typealias S3Location = S3URI
