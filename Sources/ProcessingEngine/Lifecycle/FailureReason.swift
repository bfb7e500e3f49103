/// The FailureReason texts, as the real service words them (spec §4, §7 and §12).
enum FailureReason {
    static let algorithmError = "AlgorithmError: See job logs for more information"

    static func clientError(_ text: String) -> String { "ClientError: " + text }

    static func internalError(_ text: String) -> String { "InternalServerError: " + text }

    /// An instance killed by its memory limit (spec §12).
    static let memoryExceeded = clientError("Please use an instance type with more memory, or reduce the size of job data processed on an instance.")

    /// An instance that failed with its volume full (spec §12; the wording is sagebox's own).
    static let volumeFull = clientError("No space left on device. Please use a larger VolumeSizeInGB.")

    /// The same on a volume this machine made smaller than VolumeSizeInGB (`VolumeSizing`): a larger
    /// VolumeSizeInGB would not help.
    static func volumeFull(_ sizing: VolumeSizing) -> String {
        guard sizing.note != nil else { return volumeFull }
        return clientError("No space left on device. This machine could give each instance only \(sizing.gigabytes) GB of the VolumeSizeInGB asked (see the job's events): please free disk space on the host.")
    }

    /// A job stopped because the host's free disk space fell under sagebox's floor (the wording is sagebox's own).
    static func hostDiskLow(floorBytes: UInt64) -> String {
        clientError("The host's free disk space fell below \(ByteCount(bytes: floorBytes)) (sagebox's --disk-floor): the job was stopped before the disk filled. Free space on the host, or lower --disk-floor.")
    }

    static func noObjects(_ uri: String) -> String {
        clientError("No S3 objects found under S3 URL \"\(uri)\" given in input data source. Please ensure that the bucket exists in the selected region, that objects exist under that S3 prefix.")
    }

    /// FailureReason holds at most 1,024 characters.
    static func clipped(_ text: String) -> String { String(text.prefix(1024)) }
}
