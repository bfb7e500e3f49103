import Testing
@testable import SageboxServer

struct ByteRangeTests {
    @Test func forms() {
        #expect(ByteRange.resolve("bytes=0-4", size: 10) == .partial(ByteRange(first: 0, last: 4)))
        #expect(ByteRange.resolve("bytes=5-", size: 10) == .partial(ByteRange(first: 5, last: 9)))
        #expect(ByteRange.resolve("bytes=-3", size: 10) == .partial(ByteRange(first: 7, last: 9)))
        #expect(ByteRange.resolve("bytes=-30", size: 10) == .partial(ByteRange(first: 0, last: 9)))
        #expect(ByteRange.resolve("bytes=8-100", size: 10) == .partial(ByteRange(first: 8, last: 9)))
        #expect(ByteRange(first: 8, last: 9).contentRange(size: 10) == "bytes 8-9/10")
    }

    @Test func pastTheEndIsUnsatisfiable() {
        #expect(ByteRange.resolve("bytes=10-20", size: 10) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=0-0", size: 0) == .unsatisfiable)
        // An open range past the end is not a whole read (it was, before: its end lay before its start).
        #expect(ByteRange.resolve("bytes=99999999-", size: 3) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=3-", size: 3) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=2-", size: 3) == .partial(ByteRange(first: 2, last: 2)))
    }

    @Test func malformedOrMultipleRangesServeTheWholeObject() {
        #expect(ByteRange.resolve(nil, size: 10) == .whole)
        #expect(ByteRange.resolve("bytes=4-2", size: 10) == .whole)
        #expect(ByteRange.resolve("bytes=0-1,3-4", size: 10) == .whole)
        #expect(ByteRange.resolve("items=0-1", size: 10) == .whole)
    }
}
