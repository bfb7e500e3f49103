/// How reading one object's bytes into a sink ended.
enum ObjectReadEnd: Equatable {
    /// Every byte went to the sink.
    case finished
    /// The sink refused more (the pipe's reader left, or the feed was stopped).
    case sinkRefused
    /// The object's file could not be read or decompressed.
    case failed(PipeFeedError.Kind, String)
}
