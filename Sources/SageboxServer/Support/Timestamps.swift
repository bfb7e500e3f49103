import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The timestamp texts AWS's XML protocols use.
enum Timestamps {
    /// Built once: a format style is a value, and building one per answer showed in the profile.
    private static let iso8601Style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// `2026-01-02T03:04:05.000Z`, as S3, STS and IAM bodies carry times.
    static func iso8601(_ date: Date) -> String {
        date.formatted(iso8601Style)
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Fri, 02 Jan 2026 03:04:05 GMT`, as S3's Last-Modified header carries times (whole seconds,
    /// truncated). Every GetObject and HeadObject sends one: composed from `gmtime_r` fields rather
    /// than through a DateFormatter, which cost more than the rest of a HEAD answer together.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        let year = Int(fields.tm_year) + 1900
        return "\(weekdays[Int(fields.tm_wday)]), \(twoDigits(fields.tm_mday)) \(months[Int(fields.tm_mon)]) \(year) "
            + "\(twoDigits(fields.tm_hour)):\(twoDigits(fields.tm_min)):\(twoDigits(fields.tm_sec)) GMT"
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
