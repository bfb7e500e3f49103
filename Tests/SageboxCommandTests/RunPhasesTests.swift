import Foundation
import Testing

/// `run --wait` and `train --wait` show the job's phases: on a terminal (a real pseudo-terminal, made by
/// util-linux `script`) in order, with times and a progress line for a phase over a second; plain lines
/// elsewhere; `--json` and `--quiet` for scripts.
@Suite("run and train show the phases")
struct RunPhasesTests {
    private static let request = """
        {"ProcessingJobName": "phases", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
         "AppSpecification": {"ImageUri": "local/test", "ContainerEntrypoint": ["/bin/sh", "-c",
           "echo started; sleep 2; cp /opt/ml/processing/input/a.csv /opt/ml/processing/output/; echo r > /opt/ml/processing/output/r.txt"]},
         "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}},
         "ProcessingInputs": [{"InputName": "in", "S3Input": {"S3Uri": "s3://phases/in/", "LocalPath": "/opt/ml/processing/input",
                                                             "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
         "ProcessingOutputConfig": {"Outputs": [{"OutputName": "out", "S3Output": {"S3Uri": "s3://phases/out",
           "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]}}
        """

    private func prepared() throws -> (Sagebox, String) {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://phases").status == 0)
        let data = try sagebox.file("a.csv", String(repeating: "x,y\n", count: 300_000))  // 1.1 MiB
        #expect(try sagebox("s3", "cp", data, "s3://phases/in/a.csv").status == 0)
        #expect(try sagebox("s3", "cp", data, "s3://phases/in/b.csv").status == 0)
        return (sagebox, try sagebox.file("job.json", Self.request))
    }

    /// What `arguments` print on a terminal: `script` gives the command a pseudo-terminal and copies it out.
    private func onATerminal(_ sagebox: Sagebox, _ arguments: [String]) throws -> Sagebox.Result {
        let command = ([Sagebox.binary.path, "--root", sagebox.root.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try Sagebox.execute(URL(filePath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"])
    }

    /// The phase lines (`  name  detail  1.23 s`), in order, without the progress lines redrawn over them.
    private func phases(_ output: String) -> [(name: String, detail: String, seconds: Double)] {
        output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").compactMap { line in
            let final = line.components(separatedBy: "\u{1B}[2K").last!.replacingOccurrences(of: "\r", with: "")
            guard let match = final.wholeMatch(of: /\ \ (\w+) +(.*?) +(\d+\.\d\d) s/) else { return nil }
            return (String(match.1), String(match.2), Double(match.3)!)
        }
    }

    @Test func onATerminalEachPhaseHasItsLineInOrderWithItsTime() throws {
        let (sagebox, job) = try prepared()
        let run = try onATerminal(sagebox, ["run", job, "--wait"])
        #expect(run.status == 0, "\(run.stdout)")
        let lines = phases(run.stdout)
        #expect(lines.map(\.name) == ["staging", "launching", "running", "uploading"], "\(run.stdout)")
        #expect(lines.first?.detail == "2 objects, 2.3 MiB")
        #expect(lines.last?.detail == "2 objects")
        #expect((lines.first { $0.name == "running" }?.seconds ?? 0) >= 2)
        // The job ran for two seconds: its progress line was drawn (and erased) meanwhile.
        #expect(try run.stdout.contains(Regex("\r\u{1B}\\[2K  running \\.\\.\\. \\d+\\.\\d\\d s")))
        #expect(try run.stdout.contains(Regex(#"phases: Completed in \d+\.\d\d s"#)))
        #expect(run.stdout.hasPrefix("phases\r\n"))
    }

    @Test func elsewhereThePhasesArePlainLinesAndJSONOrQuietAreForScripts() throws {
        let (sagebox, job) = try prepared()
        let plain = try sagebox("run", job, "--wait")
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("\r") && !plain.stdout.contains("\u{1B}"))
        #expect(phases(plain.stdout).map(\.name) == ["staging", "launching", "running", "uploading"], "\(plain.stdout)")

        let json = try sagebox("run", job, "--name", "phases-json", "--wait", "--json")
        #expect(json.status == 0)
        let described = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(described["ProcessingJobName"] as? String == "phases-json")
        #expect(described["ProcessingJobStatus"] as? String == "Completed")

        let quiet = try sagebox("run", job, "--name", "phases-quiet", "--wait", "--quiet")
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)
        let failing = try sagebox("run", try sagebox.file("bad.json", Self.request.replacingOccurrences(of: "echo started;", with: "exit 3;")),
                                  "--name", "phases-bad", "--wait", "--quiet")
        #expect(failing.status == 1 && failing.stdout.isEmpty)
    }

    @Test func trainShowsItsPhasesToo() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://phases").status == 0)
        let request = try sagebox.file("t.json", """
            {"TrainingJobName": "t-phases", "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
             "AlgorithmSpecification": {"TrainingImage": "local/train", "TrainingInputMode": "File",
                                        "ContainerEntrypoint": ["/bin/sh", "-c", "echo w > /opt/ml/model/w"]},
             "OutputDataConfig": {"S3OutputPath": "s3://phases/models"},
             "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
             "StoppingCondition": {"MaxRuntimeInSeconds": 600}}
            """)
        let run = try onATerminal(sagebox, ["train", request, "--wait"])
        #expect(run.status == 0, "\(run.stdout)")
        let lines = phases(run.stdout)
        #expect(lines.map(\.name) == ["staging", "launching", "running", "uploading"], "\(run.stdout)")
        #expect(lines.first?.detail == "0 objects, 0.0 MiB")
        #expect(lines.last?.detail == "1 object")  // model.tar.gz
        #expect(run.stdout.contains("t-phases: Completed in "))
    }
}
