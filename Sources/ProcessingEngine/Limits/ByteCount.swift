import Foundation

/// A number of bytes as people write it: `2GiB`, `512MiB`, `1.5G`, `4096` (suffixes are binary, as
/// VolumeSizeInGB's GB are), for `--disk-floor` and for the texts that show such sizes.
public struct ByteCount: Sendable, Equatable, CustomStringConvertible {
    public let bytes: UInt64

    public init(bytes: UInt64) { self.bytes = bytes }

    private static let units: [(suffix: String, shift: UInt64)] = [("T", 40), ("G", 30), ("M", 20), ("K", 10)]

    /// Parses a count with an optional K, M, G or T suffix (`KiB`, `KB` and `K` all mean 1,024); nil for
    /// anything else, negative numbers included.
    public init?(parsing text: String) {
        var number = Substring(text.trimmingCharacters(in: .whitespaces)).uppercased()[...]
        for ending in ["IB", "B"] where number.hasSuffix(ending) {
            number = number.dropLast(ending.count)
            break
        }
        var shift: UInt64 = 0
        if let unit = Self.units.first(where: { number.hasSuffix($0.suffix) }) {
            shift = unit.shift
            number = number.dropLast()
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 0, value.isFinite, value * Double(UInt64(1) << shift) < 0x1p63 else { return nil }
        bytes = UInt64(value * Double(UInt64(1) << shift))
    }

    /// `2 GiB`, `1.5 GiB`, `512 MiB`, `100 bytes`: the largest unit the count reaches, one decimal at most.
    public var description: String {
        guard let unit = Self.units.first(where: { bytes >= UInt64(1) << $0.shift }) else { return "\(bytes) bytes" }
        let text = String(format: "%.1f", Double(bytes) / Double(UInt64(1) << unit.shift))
        return "\(text.hasSuffix(".0") ? String(text.dropLast(2)) : text) \(unit.suffix)iB"
    }
}
