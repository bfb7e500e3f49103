/// Setting tags would leave a job with more tags than the limit allows; nothing was written.
public struct JobTagLimitExceeded: Error, Sendable, Equatable {
    /// How many tags the job would have had.
    public var resultingCount: Int
    /// The most tags a job may have.
    public var limit: Int

    public init(resultingCount: Int, limit: Int) {
        self.resultingCount = resultingCount
        self.limit = limit
    }
}
