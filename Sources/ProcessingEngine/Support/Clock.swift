import Foundation

/// Epoch seconds with a millisecond fraction: the form every timestamp takes in the store and on the wire.
func now() -> Double {
    (Date().timeIntervalSince1970 * 1000).rounded() / 1000
}
