import Foundation

/// What sagebox leaves to the host: every running instance is inside one shared cgroup whose memory and
/// pids limits are the machine's minus this reserve, so jobs together can never take the host's last
/// memory or its last PIDs, however many run at once (`SharedCgroup`).
public struct HostReserve: Sendable, Equatable {
    /// An amount kept for the host: a fixed number (bytes or PIDs), or a share of the machine's.
    public enum Amount: Sendable, Equatable {
        case fixed(UInt64)
        case percent(Double)

        func of(_ total: UInt64) -> UInt64 {
            switch self {
            case let .fixed(amount): amount
            case let .percent(share): UInt64(Double(total) * share / 100)
            }
        }
    }

    /// Nil: the larger of 2 GiB and 10% of the machine's memory (room for the server, a shell, a build).
    public var memory: Amount?
    /// Nil: the larger of 1,024 PIDs and 25% of the machine's (the smaller of pid_max and threads-max).
    public var processes: Amount?

    public init(memory: Amount? = nil, processes: Amount? = nil) {
        self.memory = memory
        self.processes = processes
    }

    /// The memory kept for a machine of `total` bytes.
    public func memoryBytes(of total: UInt64) -> UInt64 {
        memory?.of(total) ?? max(2 << 30, total / 10)
    }

    /// The PIDs kept for a machine of `total` PIDs.
    public func processCount(of total: UInt64) -> UInt64 {
        processes?.of(total) ?? max(1024, total / 4)
    }

    /// "2G", "512M", "1024" (bytes or PIDs) or "10%"; K, M, G, T are powers of 1,024. Nil when unreadable.
    public static func parse(_ text: String) -> Amount? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let share = Double(trimmed.dropLast()), share >= 0, share < 100 else { return nil }
            return .percent(share)
        }
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(trimmed.uppercased())
        if digits.hasSuffix("IB") || digits.hasSuffix("B") { digits = digits.dropLast(digits.hasSuffix("IB") ? 2 : 1) }
        let unit = digits.last.flatMap { units[$0] }
        if unit != nil { digits = digits.dropLast() }
        guard let number = Double(digits), number >= 0 else { return nil }
        return .fixed(UInt64(number * Double(unit ?? 1)))
    }
}
