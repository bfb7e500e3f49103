import Foundation
import Testing

@Suite("The churn sample, end to end")
struct ChurnSampleTests {
    @Test func theChurnJobWritesThreeCleanSplits() throws {
        let sagebox = try Sagebox()
        let repo = Sagebox.repository
        let data = sagebox.root.path + "-churn.csv"
        let python = URL(filePath: "/usr/bin/env")
        #expect(try Sagebox.execute(python, ["python3", repo.appending(path: "samples/churn/generate_data.py").path, "--rows", "3000", "--out", data]).status == 0)
        try sagebox("s3", "mb", "s3://sagebox-samples")
        try sagebox("s3", "cp", repo.appending(path: "samples/churn/preprocessing.py").path, "s3://sagebox-samples/churn/code/preprocessing.py")
        try sagebox("s3", "cp", data, "s3://sagebox-samples/churn/raw/churn.csv")
        let run = try sagebox("run", repo.appending(path: "samples/churn/job.json").path, "--wait")
        let logs = try sagebox("logs", "churn-preprocessing").stdout
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\n\(logs)")
        var splits: [String] = []
        for split in ["train", "validation", "test"] {
            let local = sagebox.root.path + "-\(split).csv"
            #expect(try sagebox("s3", "cp", "s3://sagebox-samples/churn/processed/\(split)/\(split).csv", local).status == 0)
            splits.append(local)
        }
        let check = try Sagebox.execute(python, ["python3", repo.appending(path: "tools/check_churn_outputs.py").path] + splits + ["--total", "3000"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}
