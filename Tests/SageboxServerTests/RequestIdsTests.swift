import Foundation
import Testing
@testable import SageboxServer

struct RequestIdsTests {
    @Test func idsAreUpperCaseVersion4UUIDsThatDoNotRepeat() throws {
        let ids = RequestIds()
        let made = (0..<10_000).map { _ in ids.next() }
        #expect(Set(made).count == made.count)
        for id in made.prefix(100) {
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString == id)
            let bytes = uuid.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
        }
    }

    @Test func twoServersMakeDifferentIds() {
        #expect(RequestIds().next() != RequestIds().next())
    }
}
