import Foundation

/// How one launch ended, with what it printed.
struct LauncherResult {
    let reason: Process.TerminationReason
    let status: Int32
    let standardOutput: String
    let standardError: String

    var exitedNormally: Bool { reason == .exit }
}
