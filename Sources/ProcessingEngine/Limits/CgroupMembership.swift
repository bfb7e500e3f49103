import Foundation

/// The cgroups a process belongs to, from /proc/self/cgroup: lines "ID:CONTROLLERS:PATH", where v1 has a
/// line per hierarchy (controllers joined by commas) and v2 one line "0::PATH".
struct CgroupMembership: Equatable {
    /// The cgroup path of each v1 controller by name, and v2's under "".
    var paths: [String: String] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",") { paths[String(controller)] = String(fields[2]) }
            if fields[1].isEmpty { paths[""] = String(fields[2]) }
        }
    }

    /// This process's membership; empty where /proc is not readable.
    static func current() -> CgroupMembership {
        CgroupMembership((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "")
    }

    /// The folder of the cgroup for `controller` ("" for v2) under that hierarchy's `mount`.
    func folder(_ controller: String, under mount: URL) -> URL? {
        guard let path = paths[controller] else { return nil }
        return path.split(separator: "/").reduce(mount) { $0.appendingPathComponent(String($1)) }
    }
}
