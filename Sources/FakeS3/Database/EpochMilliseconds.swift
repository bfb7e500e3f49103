import Foundation

/// Timestamps are stored as whole milliseconds since the Unix epoch, so a value read back equals the
/// value written (a text date would lose sub-millisecond digits and compare unequal).
enum EpochMilliseconds {
    static func now() -> Int64 { from(Date()) }

    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
