import Foundation

/// What the host's /opt/ml holds (nil: it does not exist), to prove that a job never touches it.
enum HostOptML {
    static func snapshot() -> [String]? {
        guard FileManager.default.fileExists(atPath: "/opt/ml") else { return nil }
        return ((try? FileManager.default.subpathsOfDirectory(atPath: "/opt/ml")) ?? []).sorted()
    }
}
