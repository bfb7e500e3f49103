import Synchronization

/// Makes the request IDs (x-amzn-RequestId) in the form AWS and `UUID().uuidString` give them: version 4
/// UUIDs in upper case. `UUID()` asks the kernel for randomness on every request, which cost more than
/// the rest of a Describe's headers; here a counter is mixed with one random seed (splitmix64, a
/// bijection, so IDs never repeat within a process) and formatted by hand.
final class RequestIds: Sendable {
    private let seed: UInt64
    private let counter = Atomic<UInt64>(0)

    init() {
        seed = UInt64.random(in: .min ... .max)
    }

    /// A new ID, unique within this process and unpredictable across processes.
    func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let high = Self.mix(seed &+ count &* 0x9E37_79B9_7F4A_7C15)
        let low = Self.mix(high ^ seed)
        // Version 4 and the RFC 4122 variant, as UUID() sets them.
        let versioned = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let variant = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var at = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[at] = Self.hex[Int((value >> UInt64(shift)) & 0xF)]
                    at += 1
                }
            }
            func dash() { buffer[at] = UInt8(ascii: "-"); at += 1 }
            put(versioned >> 32, nibbles: 8); dash()
            put(versioned >> 16, nibbles: 4); dash()
            put(versioned, nibbles: 4); dash()
            put(variant >> 48, nibbles: 4); dash()
            put(variant, nibbles: 12)
            return at
        }
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
