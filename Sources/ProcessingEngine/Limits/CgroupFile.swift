import Foundation

/// Reading and writing cgroup control files: one value per write, as the kernel wants it.
enum CgroupFile {
    static func write(_ value: String, to folder: URL, _ name: String) throws {
        let path = folder.appendingPathComponent(name).path
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ResourceLimitError("cannot open \(path) for writing")
        }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data(value.utf8))
        } catch {
            throw ResourceLimitError("cannot write \(value) to \(path): \(error.localizedDescription)")
        }
    }

    static func read(_ folder: URL, _ name: String) -> String? {
        try? String(contentsOfFile: folder.appendingPathComponent(name).path, encoding: .utf8)
    }

    static func exists(_ folder: URL, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }

    /// The number after `key` in a flat keyed file (`memory.events`, `cpu.stat`, `memory.oom_control`).
    static func keyedValue(_ folder: URL, _ name: String, key: String) -> UInt64? {
        guard let text = read(folder, name) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key { return UInt64(fields[1]) }
        }
        return nil
    }

    /// A single number (`cpuacct.usage`, `memory.limit_in_bytes`); nil for "max" or a missing file.
    static func number(_ folder: URL, _ name: String) -> UInt64? {
        read(folder, name).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Pids listed in `cgroup.procs`.
    static func processes(_ folder: URL) -> [Int32] {
        (read(folder, "cgroup.procs") ?? "").split(separator: "\n").compactMap { Int32($0) }
    }
}
