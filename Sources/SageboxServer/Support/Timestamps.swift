import Foundation

/// The timestamp texts AWS's XML protocols use.
enum Timestamps {
    /// `2026-01-02T03:04:05.000Z`, as S3, STS and IAM bodies carry times.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// `Fri, 02 Jan 2026 03:04:05 GMT`, as S3's Last-Modified header carries times.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
