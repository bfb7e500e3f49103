/// What a Continuous output's uploader did, as `finish()` returns it.
public struct ContinuousUploadReport: Sendable, Equatable {
    /// How many uploads were published (a file changed three times and uploaded each time counts 3).
    public var uploads: Int
    /// Files whose latest upload attempt failed, by relative path.
    public var errors: [ContinuousUploadError]
    /// How changes were seen: `.inotify`, or `.polling` where inotify was unavailable.
    public var watching: ContinuousUploader.Watching
    /// What the final sweep passed over: links, FIFOs, sockets, devices, names that are not UTF-8.
    public var passedOver: [String] = []
}
