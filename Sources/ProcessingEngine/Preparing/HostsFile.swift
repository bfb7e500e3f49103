/// The `/etc/hosts` every instance of a job sees, so that `algo-1 … algo-N` resolve as on SageMaker.
///
/// All instances run on this machine and (without EnableNetworkIsolation) share its loopback, so each
/// host gets an address of its own in 127.0.0.0/8: algo-N is 127.0.0.(N+1). A server on algo-1 that
/// listens on 0.0.0.0 or on algo-1's address is reachable from every other instance at `algo-1`, and two
/// instances may listen on the same port at their own addresses, as on separate machines. With
/// EnableNetworkIsolation each instance has a loopback of its own, so the names resolve but the other
/// instances cannot be reached.
enum HostsFile {
    /// The file's text for a job with these hosts (`algo-1`, `algo-2`, … in order).
    static func contents(hosts: [String]) -> String {
        var lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
        for (index, host) in hosts.enumerated() { lines.append("\(address(ofHostAt: index))\t\(host)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The loopback address of the host at `index` (0 for algo-1): 127.0.0.2, 127.0.0.3, …
    static func address(ofHostAt index: Int) -> String {
        let number = index + 2
        return "127.\((number >> 16) & 0xff).\((number >> 8) & 0xff).\(number & 0xff)"
    }
}
