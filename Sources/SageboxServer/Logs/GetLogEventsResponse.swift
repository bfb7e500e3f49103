/// GetLogEvents' answer. The forward token of a page past the end is the token that asked for it,
/// which is how readers such as the SageMaker SDK know they have caught up.
struct GetLogEventsResponse: Encodable {
    var events: [LogEventOutput]
    var nextForwardToken: String
    var nextBackwardToken: String
}
