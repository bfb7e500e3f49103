import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call while copying a file for upload.
enum SnapshotError: Error, CustomStringConvertible {
    case call(String, Int32)

    var description: String {
        switch self {
        case let .call(name, code): "\(name): \(String(cString: strerror(code)))"
        }
    }
}
