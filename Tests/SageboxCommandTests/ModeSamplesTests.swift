import Foundation
import Testing

@Suite("The sharded and continuous samples, end to end")
struct ModeSamplesTests {
    private static let python = URL(filePath: "/usr/bin/env")

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func status(_ sagebox: Sagebox, _ name: String) throws -> String {
        try json(try sagebox("describe", name).stdout)["ProcessingJobStatus"] as? String ?? ""
    }

    @Test func fourHostsEachComputeTheirShardAndTheReducerAddsThemUp() throws {
        let sagebox = try Sagebox()
        let repo = Sagebox.repository
        let data = sagebox.root.path + "-sales", stats = sagebox.root.path + "-stats"
        let generated = try Sagebox.execute(Self.python, ["python3", repo.appending(path: "samples/sharded/generate_data.py").path,
                                                          "--parts", "10", "--rows-per-part", "500", "--out", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        try sagebox("s3", "mb", "s3://sagebox-samples")
        try sagebox("s3", "cp", repo.appending(path: "samples/sharded/shard_stats.py").path, "s3://sagebox-samples/sharded/code/shard_stats.py")
        #expect(try sagebox("s3", "cp", data, "s3://sagebox-samples/sharded/data/", "--recursive").status == 0)

        let run = try sagebox("run", repo.appending(path: "samples/sharded/job.json").path, "--wait")
        let logs = try sagebox("logs", "sharded-shard-stats").stdout
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\n\(logs)")
        #expect(try sagebox("s3", "cp", "s3://sagebox-samples/sharded/stats/", stats, "--recursive").status == 0)

        // Keys sorted, key i to algo-((i mod 4) + 1): 3, 3, 2, 2 files, each part exactly once.
        let expected = ["algo-1": [0, 4, 8], "algo-2": [1, 5, 9], "algo-3": [2, 6], "algo-4": [3, 7]]
        var seen: [String] = []
        for (host, parts) in expected {
            let shard = try json(try String(contentsOfFile: "\(stats)/\(host).json", encoding: .utf8))
            let files = try #require(shard["files"] as? [String])
            #expect(shard["host"] as? String == host)
            #expect(files == parts.map { String(format: "part-%05d.csv", $0) })
            #expect(shard["rows"] as? Int == parts.count * 500)
            seen += files
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: stats)) == Set(expected.keys.map { "\($0).json" }))
        #expect(seen.sorted() == (0..<10).map { String(format: "part-%05d.csv", $0) })

        let reduced = try Sagebox.execute(Self.python, ["python3", repo.appending(path: "samples/sharded/reduce_stats.py").path, stats])
        #expect(reduced.status == 0, "\(reduced.stderr)")
        let totals = try json(reduced.stdout), truth = try json(generated.stdout)
        #expect(totals["hosts"] as? [String: Int] == ["algo-1": 3, "algo-2": 3, "algo-3": 2, "algo-4": 2])
        #expect(totals["rows"] as? Int == 5000)
        #expect(totals["rows"] as? Int == truth["rows"] as? Int)
        #expect(totals["units_sum"] as? Int == truth["units_sum"] as? Int)
        #expect(totals["amount_sum"] as? String == truth["amount_sum"] as? String)
    }

    @Test func checkpointsAreListableBeforeTheJobEnds() throws {
        let sagebox = try Sagebox()
        let repo = Sagebox.repository
        var request = try json(try String(contentsOf: repo.appending(path: "samples/continuous/job.json"), encoding: .utf8))
        var app = try #require(request["AppSpecification"] as? [String: Any])
        app["ContainerArguments"] = ["--steps", "6"]
        request["AppSpecification"] = app
        let job = try sagebox.file("job.json", String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self))
        try sagebox("s3", "mb", "s3://sagebox-samples")
        try sagebox("s3", "cp", repo.appending(path: "samples/continuous/checkpointing.py").path, "s3://sagebox-samples/continuous/code/checkpointing.py")

        let started = try sagebox("run", job)
        #expect(started.status == 0, "\(started.stderr)")
        // List first, describe after: a checkpoint listed while the job is still InProgress was uploaded before the end.
        var listedWhileRunning = false, current = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let listing = try sagebox("s3", "ls", "s3://sagebox-samples/continuous/checkpoints/").stdout
            current = try status(sagebox, "continuous-checkpoints")
            if listing.contains("checkpoint-001.json") {
                listedWhileRunning = current == "InProgress"
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(listedWhileRunning, "status when first listed: \(current)")

        for _ in 0..<300 where !["Completed", "Failed", "Stopped"].contains(current) {
            Thread.sleep(forTimeInterval: 0.2)
            current = try status(sagebox, "continuous-checkpoints")
        }
        let logs = try sagebox("logs", "continuous-checkpoints").stdout
        #expect(current == "Completed", "\(logs)")
        let names = try sagebox("s3", "ls", "s3://sagebox-samples/continuous/checkpoints/").stdout
            .split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(names == (1...6).map { String(format: "checkpoint-%03d.json", $0) })
        let last = sagebox.root.path + "-checkpoint-006.json"
        #expect(try sagebox("s3", "cp", "s3://sagebox-samples/continuous/checkpoints/checkpoint-006.json", last).status == 0)
        let checkpoint = try json(try String(contentsOfFile: last, encoding: .utf8))
        #expect(checkpoint["step"] as? Int == 6)
        #expect(checkpoint["state"] as? Int == 91)  // 1 + 4 + 9 + 16 + 25 + 36
    }
}
