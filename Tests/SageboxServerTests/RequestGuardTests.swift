import Testing
import HTTPTypes
@testable import SageboxServer

/// Which Host and Origin headers the server serves (the rules behind the refusals of
/// tests/clients/test_hostile_requests.py).
struct RequestGuardTests {
    let access = RequestGuard(hosts: ["127.0.0.1", "Sagebox.Test", "10.1.2.3"], origins: ["http://Page.Example:8080"])

    func refusal(host: String? = nil, origin: String? = nil) -> RequestGuard.Refusal? {
        var headers = HTTPFields()
        if let origin { headers[.origin] = origin }
        return access.refusal(authority: host, headers)
    }

    @Test func loopbackNamesAreServed() {
        for host in ["localhost", "localhost:9000", "LOCALHOST", "lab.localhost:9000", "127.0.0.1:9000", "127.255.0.9",
                     "[::1]", "[::1]:9000"] {
            #expect(refusal(host: host) == nil, "\(host)")
        }
    }

    @Test func namesGivenToServeAreServedWithTheirSubdomains() {
        #expect(refusal(host: "sagebox.test:9000") == nil)
        #expect(refusal(host: "lab.sagebox.test") == nil)
        #expect(refusal(host: "10.1.2.3:9000") == nil)
        // Not subdomains of an address: 5.10.1.2.3 is no name of this server.
        #expect(refusal(host: "5.10.1.2.3") == .host("5.10.1.2.3"))
    }

    @Test func namesAreGivenWithOrWithoutPortAndBrackets() {
        let access = RequestGuard(hosts: ["lab.example:9000", "[fd00::5]", "::"])
        #expect(access.serves(host: "lab.example:1234"))
        #expect(access.serves(host: "[fd00::5]:9000"))
        #expect(access.serves(host: "[::]:9000"))
        #expect(!access.serves(host: "[fd00::6]"))
    }

    @Test func otherHostsAreRefused() {
        for host in ["attacker.example", "attacker.example:9000", "127.0.0.1.attacker.example", "localhost.attacker.example",
                     "sagebox.test.attacker.example", "128.0.0.1", "127.0.0", "[::2]", "0.0.0.0", ""] {
            #expect(refusal(host: host) == .host(host), "\(host)")
        }
    }

    @Test func aMissingHostIsNoBrowsers() {
        #expect(refusal() == nil)
    }

    @Test func originsAreRefusedUnlessListed() {
        #expect(refusal(host: "localhost", origin: "http://page.example:8080") == nil)
        #expect(refusal(host: "localhost", origin: "http://page.example") == .origin("http://page.example"))
        #expect(refusal(host: "localhost", origin: "null") == .origin("null"))
        #expect(RequestGuard().refusal(authority: "localhost", [.origin: "http://localhost:9000"]) == .origin("http://localhost:9000"))
    }

    @Test func aSecondHostHeaderIsRefused() {
        #expect(access.refusal(authority: "localhost", [HTTPField.Name("Host")!: "attacker.example"]) == .host("attacker.example"))
    }

    @Test func theRefusalSaysHowToAllow() {
        #expect(RequestGuard.Refusal.origin("http://a.example").message.contains("--allow-origin http://a.example"))
        #expect(RequestGuard.Refusal.host("a.example").message.contains("--allow-host"))
    }

    @Test func corsHeadersForAPreflight() {
        var headers = HTTPFields()
        access.addCORSHeaders(to: &headers, for: [.origin: "http://page.example:8080", .accessControlRequestMethod: "PUT",
                                                  .accessControlRequestHeaders: "content-md5"])
        #expect(headers[.accessControlAllowOrigin] == "http://page.example:8080")
        #expect(headers[.accessControlAllowMethods] == "PUT")
        #expect(headers[.accessControlAllowHeaders] == "content-md5")
    }
}
