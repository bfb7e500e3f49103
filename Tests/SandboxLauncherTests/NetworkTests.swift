import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// --no-network: the job has its own network namespace, with a working loopback and nothing else.
@Suite(.timeLimit(.minutes(1)))
struct NetworkTests {
    /// Connects to 127.0.0.1:PORT, then serves and reaches its own loopback listener.
    private static let probe = """
        import socket, sys
        try:
            socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close(); print("host-reached")
        except OSError as error:
            print("host-unreachable")
        own = socket.socket(); own.bind(("127.0.0.1", 0)); own.listen(1)
        socket.create_connection(own.getsockname(), timeout=2).close(); print("loopback-works")
        """

    @Test(arguments: [false, true])
    func hostListenerIsReachableOnlyWithoutNoNetwork(noNetwork: Bool) async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let listener = try HostListener()
        defer { listener.close() }

        let result = try await Launcher.run(
            folders.launcherOptions + (noNetwork ? ["--no-network"] : []),
            program: ["python3", "-c", Self.probe, String(listener.port)], in: folders)

        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == (noNetwork ? "host-unreachable\n" : "host-reached\n") + "loopback-works\n")
    }

    @Test func normalUserGetsNoNetworkToo() async throws {
        let folders = try JobFolders()
        defer { folders.remove() }
        let user = NormalUser()
        try user.own(folders)
        let listener = try HostListener()
        defer { listener.close() }

        let result = try await Launcher.run(
            folders.launcherOptions + ["--no-network"],
            program: ["python3", "-c", Self.probe, String(listener.port)], runAs: user.prefix, in: folders)

        #expect(result.standardOutput == "host-unreachable\nloopback-works\n", "\(result.standardError)")
    }
}

/// A TCP listener on the host's 127.0.0.1 (the test's own network namespace), on a free port.
/// Connections complete in the kernel's backlog; nothing needs to accept them.
struct HostListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(fd) }
}
