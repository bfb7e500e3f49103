import Foundation
import Testing

/// A Processing step running Python in the `sagebox/python:3` image. An input's URI is an S3 URI, or a
/// step property (`Steps.…`) written as a `Get`.
private struct Step: Sendable {
    var name: String
    var script: String
    var inputs: [(name: String, uri: String)] = []
    var outputs: [String] = []

    var json: [String: Any] {
        let arguments: [String: Any] = [
            "ProcessingResources": ["ClusterConfig": ["InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1]],
            "AppSpecification": ["ImageUri": "sagebox/python:3", "ContainerEntrypoint": ["python3", "-c", script]],
            "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
            "ProcessingInputs": inputs.map { input in
                ["InputName": input.name, "S3Input": [
                    "S3Uri": input.uri.hasPrefix("Steps.") ? ["Get": input.uri] as Any : input.uri as Any,
                    "LocalPath": "/opt/ml/processing/\(input.name)", "S3DataType": "S3Prefix", "S3InputMode": "File"]]
            },
            "ProcessingOutputConfig": ["Outputs": outputs.map { output in
                ["OutputName": output, "S3Output": ["S3Uri": "s3://lab/\(name)/\(output)", "LocalPath": "/opt/ml/processing/\(output)",
                                                    "S3UploadMode": "EndOfJob"]]
            }],
        ]
        return ["Name": name, "Type": "Processing", "Arguments": arguments]
    }
}

/// The pipeline definition, as the SDK's `pipeline.definition()` writes it.
private func definition(_ steps: [Step]) -> String {
    let json: [String: Any] = ["Version": "2020-12-01", "Parameters": [Any](), "Steps": steps.map(\.json)]
    return String(decoding: try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
}

private let prepare = Step(name: "Prepare", script: "open('/opt/ml/processing/out/rows.txt', 'w').write('a\\nb\\nc\\n'); print('prepared 3 rows')",
                           outputs: ["out"])
private let fromPrepare = "Steps.Prepare.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri"

@Suite("sagebox pipeline start, describe, steps, list, retry")
struct PipelineCommandTests {
    @Test func startWaitRunsTheStepsAndDescribeDrawsTheDAG() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        let count = Step(name: "Count", script: "n = len(open('/opt/ml/processing/rows/rows.txt').read().split()); print(f'counted {n} rows')",
                         inputs: [("rows", fromPrepare)])
        let file = try sagebox.file("two.json", definition([prepare, count]))
        let started = try sagebox("pipeline", "start", file, "--name", "TwoSteps", "--wait")
        #expect(started.status == 0, "\(started.stdout) \(started.stderr)")
        let arn = try #require(started.stdout.split(separator: "\n").first.map(String.init))
        #expect(arn.hasPrefix("arn:aws:sagemaker:us-east-1:000000000000:pipeline/twosteps/execution/"))
        #expect(started.stdout.contains("Status         Succeeded"))
        let lines = started.stdout.split(separator: "\n").map(String.init)
        // While it runs, a line as each step ends (with its time; one as it starts if it is seen running),
        // in the order they happened.
        let progress = lines.filter { $0.hasPrefix("  ") }
        let prepareEnded = try #require(progress.firstIndex { $0.hasPrefix("  Prepare") && $0.contains("Succeeded") && $0.hasSuffix(" s") })
        let countEnded = try #require(progress.firstIndex { $0.hasPrefix("  Count") && $0.contains("Succeeded") && $0.hasSuffix(" s") })
        #expect(prepareEnded < countEnded, "\(progress)")
        // Count waits for Prepare (its input is Prepare's output): it is drawn under it.
        #expect(lines.contains { $0.hasPrefix("Prepare ") && $0.contains("Succeeded") })
        #expect(lines.contains { $0.hasPrefix("└─ Count ") && $0.contains("Succeeded") })

        // The same view by ARN, by id and by the pipeline's name; the job really ran.
        let id = String(arn.split(separator: "/").last!)
        for name in [arn, id, "TwoSteps"] {
            let described = try sagebox("pipeline", "describe", name)
            #expect(described.status == 0)
            #expect(described.stdout.contains("Execution      \(arn)"))
            #expect(described.stdout.contains("└─ Count"))
        }
        let steps = try sagebox("pipeline", "steps", id, "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(steps.stdout.utf8)) as? [String: Any])
        let listed = try #require(json["PipelineExecutionSteps"] as? [[String: Any]])
        #expect(listed.map { $0["StepName"] as? String } == ["Count", "Prepare"])
        let countJob = try #require(((listed[0]["Metadata"] as? [String: Any])?["ProcessingJob"] as? [String: Any])?["Arn"] as? String)
        let jobName = String(countJob.split(separator: "/").last!)
        #expect(try sagebox("logs", jobName).stdout.contains("counted 3 rows"))

        let pipelines = try sagebox("pipeline", "list")
        #expect(pipelines.stdout.contains("TwoSteps"))
        let executions = try sagebox("pipeline", "list", "--name", "TwoSteps")
        #expect(executions.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("\(id)  Succeeded") == true)
    }

    @Test func startWithoutWaitRunsTheExecutionInTheBackground() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        let slow = Step(name: "Slow", script: "import time; time.sleep(1); print('slept')")
        let started = try sagebox("pipeline", "start", try sagebox.file("bg.json", definition([slow])), "--name", "Background")
        #expect(started.status == 0)
        #expect(started.stdout.hasPrefix("arn:aws:sagemaker:us-east-1:000000000000:pipeline/background/execution/"))
        #expect(!started.stdout.contains("Steps"))
        // The command has returned; its background runner owns the execution (it is not failed as orphaned).
        var described = try sagebox("pipeline", "describe", "Background").stdout
        #expect(described.contains("Status         Executing"))
        for _ in 0..<300 where !described.contains("Status         Succeeded") {
            Thread.sleep(forTimeInterval: 0.1)
            described = try sagebox("pipeline", "describe", "Background").stdout
        }
        #expect(described.contains("Status         Succeeded"), "\(described)")
    }

    @Test func aFailedStepShowsItsFailureReasonAndTheCommandThatPrintsItsLogs() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        let count = Step(name: "Count", script: "print('count failed: the rows are not numbers', flush=True); raise SystemExit(3)",
                         inputs: [("rows", fromPrepare)], outputs: ["counted"])
        let report = Step(name: "Report", script: "print('never')",
                          inputs: [("counted", "Steps.Count.ProcessingOutputConfig.Outputs['counted'].S3Output.S3Uri")])
        let file = try sagebox.file("fails.json", definition([prepare, count, report]))
        let started = try sagebox("pipeline", "start", file, "--name", "Fails", "--wait")
        #expect(started.status == 1)
        #expect(started.stdout.contains("Status         Failed"))
        #expect(started.stdout.contains("FailureReason  Step failure: One or multiple steps failed."))

        let described = try sagebox("pipeline", "describe", "Fails")
        let lines = described.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("└─ Count ") && $0.contains("Failed") })
        // Report waits for Count, drawn under it: indented past Count's own branch.
        #expect(lines.contains { $0.hasPrefix("   └─ Report ") && $0.contains("not started") })
        #expect(lines.contains { $0.hasSuffix("FailureReason: AlgorithmError: See job logs for more information") })
        let logsLine = try #require(lines.first { $0.contains("Logs: sagebox ") })
        let command = logsLine.components(separatedBy: "Logs: sagebox ")[1].split(separator: " ").map(String.init)
        #expect(command[0..<3] == ["--root", sagebox.root.path, "logs"])
        #expect(command[3].hasPrefix("pipelines-") && command[3].contains("-Count-"))
        let logs = try Sagebox.execute(Sagebox.binary, command)
        #expect(logs.status == 0)
        #expect(logs.stdout.contains("count failed: the rows are not numbers"))

        let table = try sagebox("pipeline", "steps", "Fails").stdout.split(separator: "\n").map(String.init)
        #expect(table.first?.hasPrefix("STEP") == true)
        #expect(table.dropFirst().map { String($0.prefix(while: { $0 != " " })) } == ["Count", "Prepare"])
        #expect(table[1].contains("Failed") && table[1].contains("AlgorithmError: See job logs for more information"))
    }

    @Test func retryRunsTheFailedStepAgainOnceItsInputIsThere() throws {
        let sagebox = try Sagebox()
        #expect(try sagebox("s3", "mb", "s3://lab").status == 0)
        #expect(try sagebox("s3", "cp", try sagebox.file("readme.txt", "config goes here\n"), "s3://lab/config/readme.txt").status == 0)
        let check = Step(name: "Check", script: """
            import os, sys
            ok = os.path.exists('/opt/ml/processing/config/go.txt')
            print('go' if ok else 'go.txt is missing', flush=True)
            sys.exit(0 if ok else 4)
            """, inputs: [("rows", fromPrepare), ("config", "s3://lab/config/")])
        let file = try sagebox.file("retry.json", definition([prepare, check]))
        #expect(try sagebox("pipeline", "start", file, "--name", "Retried", "--wait").status == 1)
        #expect(try sagebox("s3", "cp", try sagebox.file("go.txt", "yes\n"), "s3://lab/config/go.txt").status == 0)
        let retried = try sagebox("pipeline", "retry", "Retried", "--wait")
        #expect(retried.status == 0, "\(retried.stdout) \(retried.stderr)")
        #expect(retried.stdout.contains("Status         Succeeded"))
        #expect(retried.stdout.split(separator: "\n").contains { $0.hasPrefix("└─ Check ") && $0.contains("attempt 2") })
        let steps = try JSONSerialization.jsonObject(with: Data(try sagebox("pipeline", "steps", "Retried", "--json").stdout.utf8)) as? [String: Any]
        let listed = try #require(steps?["PipelineExecutionSteps"] as? [[String: Any]])
        #expect(listed.map { $0["StepName"] as? String } == ["Check", "Prepare"])
        #expect(listed.map { $0["AttemptCount"] as? Int } == [2, 1])
        // A Succeeded execution is not retried.
        let again = try sagebox("pipeline", "retry", "Retried")
        #expect(again.status != 0)
        #expect(again.stderr.contains("An error occurred (ConflictException) when calling the RetryPipelineExecution operation"))
    }
}
