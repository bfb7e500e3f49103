import Testing
@testable import SageboxServer

/// User metadata values: RFC 2047 encoded words decoded before storing, non-ASCII sent back encoded.
struct MetadataValueTests {
    @Test func encodedWordsAreDecoded() {
        #expect(MetadataValue.decoded("=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?=") == "Hello World\u{e9}")
        #expect(MetadataValue.decoded("=?utf-8?q?caf=C3=A9_noir?=") == "caf\u{e9} noir")
        #expect(MetadataValue.decoded("=?ISO-8859-1?Q?caf=E9?=") == "caf\u{e9}")
        // Whitespace between two adjacent words goes; text around them stays.
        #expect(MetadataValue.decoded("a =?UTF-8?Q?b?= =?UTF-8?Q?c?= d") == "a bc d")
        // Not a word, a charset sagebox does not know, or a word that does not decode: kept as sent.
        #expect(MetadataValue.decoded("a=?b") == "a=?b")
        #expect(MetadataValue.decoded("=?KOI8-R?B?wQ==?=") == "=?KOI8-R?B?wQ==?=")
        #expect(MetadataValue.decoded("=?UTF-8?Q?=ZZ?=") == "=?UTF-8?Q?=ZZ?=")
    }

    @Test func onlyPrintableASCIIGoesBackAsIs() {
        #expect(MetadataValue.mailSafe("plain value\t1") == "plain value\t1")
        #expect(MetadataValue.mailSafe("Hello World\u{e9}") == "=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?=")
        #expect(MetadataValue.mailSafe("\u{4}mymeta") == "=?UTF-8?B?BG15bWV0YQ==?=")
    }
}
