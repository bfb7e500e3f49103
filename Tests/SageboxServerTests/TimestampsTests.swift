import Foundation
import Testing
@testable import SageboxServer

struct TimestampsTests {
    /// The header text, as a DateFormatter with the RFC 7231 pattern writes it (the reference).
    private static func reference(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    @Test func httpDateIsRFC7231InGMT() {
        #expect(Timestamps.httpDate(Date(timeIntervalSince1970: 1_767_323_045.999)) == "Fri, 02 Jan 2026 03:04:05 GMT")
    }

    /// Every weekday, month, leap day and fraction of a second, against the formatter it replaced.
    @Test func httpDateMatchesTheFormatterItReplaced() {
        var seconds = 946_684_799.5  // 1999-12-31T23:59:59.5Z
        while seconds < 1_900_000_000 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamps.httpDate(date) == Self.reference(date))
            seconds += 86_400 * 3 + 3_607.25
        }
    }
}
