import FakeS3
import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

extension EngineFixture {
    /// A CreateTrainingJob whose container runs `script` (a bring-your-own-container image): the script
    /// is stored at `code/<name>.sh` and given as the channel `code` (ContainerEntrypoint members are one
    /// line of at most 256 characters).
    func trainingRequest(_ name: String, script: String, channels: [String: (uri: String, contentType: String?)] = [:],
                         hyperParameters: [String: String]? = nil, metrics: [MetricDefinition]? = nil,
                         maxRuntime: Int? = nil) throws -> CreateTrainingJobRequest {
        try put("code/\(name).sh", script)
        var channels = channels
        channels["code"] = ("s3://lab/code/\(name).sh", nil)
        var request = CreateTrainingJobRequest()
        request.trainingJobName = name
        request.roleArn = "arn:aws:iam::000000000000:role/SageMakerRole"
        request.algorithmSpecification = AlgorithmSpecification(
            trainingImage: "local/train", trainingInputMode: "File", metricDefinitions: metrics,
            containerEntrypoint: ["/bin/sh", "/opt/ml/input/data/code/\(name).sh"])
        request.hyperParameters = hyperParameters
        request.inputDataConfig = channels.sorted { $0.key < $1.key }.map { channel in
            Channel(channelName: channel.key,
                    dataSource: DataSource(s3DataSource: S3DataSource(s3DataType: "S3Prefix", s3Uri: channel.value.uri,
                                                                      s3DataDistributionType: "FullyReplicated")),
                    contentType: channel.value.contentType)
        }
        request.outputDataConfig = OutputDataConfig(s3OutputPath: "s3://lab/models/")
        request.resourceConfig = ResourceConfig(instanceType: "ml.m5.large", instanceCount: 1, volumeSizeInGB: 1)
        request.stoppingCondition = StoppingCondition(maxRuntimeInSeconds: maxRuntime ?? 3600)
        return request
    }

    @discardableResult
    func train(_ request: CreateTrainingJobRequest) throws -> JobRecord {
        _ = try service.createTrainingJob(request)
        return try runner.run(jobNamed: request.trainingJobName!, kind: .training)
    }

    /// The members of the tar.gz object at `key`, read with the system's tar.
    func tarMembers(_ key: String) throws -> [String] {
        let object = try root.s3.getObject(bucket: "lab", key: key)
        let tar = Process()
        tar.executableURL = URL(filePath: "/bin/tar")
        tar.arguments = ["-tzf", object.url.path]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        return listing.split(separator: "\n").map(String.init).sorted()
    }
}

@Suite("Training jobs: the container contract, the artifacts, the secondary statuses")
struct TrainingJobTests {
    @Test func aTrainingJobSeesItsConfigAndChannelsAndItsModelIsUploadedAsATarball() throws {
        let fixture = try EngineFixture()
        try fixture.put("data/train/part-1.csv", "1,2,3\n")
        try fixture.put("data/validation/v.csv", "0,1,1\n")
        let script = """
            set -e
            cat /opt/ml/input/config/hyperparameters.json; echo
            cat /opt/ml/input/config/inputdataconfig.json; echo
            grep -q '"current_host" *: *"algo-1"' /opt/ml/input/config/resourceconfig.json
            test "$TRAINING_JOB_NAME" = fit-1
            cp /opt/ml/input/data/train/part-1.csv /opt/ml/model/model.csv
            mkdir -p /opt/ml/model/sub && echo weights > /opt/ml/model/sub/w.bin
            echo extra > /opt/ml/output/data/report.txt
            printf '[0]\\ttrain-rmse:0.5\\tvalidation-rmse:0.75\\n[1]\\ttrain-rmse:0.25\\tvalidation-rmse:0.5\\n'
            """
        let job = try fixture.train(try fixture.trainingRequest(
            "fit-1", script: script,
            channels: ["train": ("s3://lab/data/train", "text/csv"), "validation": ("s3://lab/data/validation/", nil)],
            hyperParameters: ["num_round": "2", "eta": "0.5"],
            metrics: [MetricDefinition(name: "validation:rmse", regex: ".*\\[[0-9]+\\].*#011validation-rmse:(\\S+)")]))
        let logs = try fixture.logs("fit-1", kind: .training)
        #expect(job.status == .completed, "\(job.failureReason ?? "") \(logs)")
        #expect(job.secondaryStatus == .completed)
        #expect(logs.contains(#"{"eta":"0.5","num_round":"2"}"#))
        #expect(logs.contains(#"{"code":{"RecordWrapperType":"None","S3DistributionType":"FullyReplicated","TrainingInputMode":"File"},"train":{"ContentType":"text/csv","RecordWrapperType":"None","S3DistributionType":"FullyReplicated","TrainingInputMode":"File"},"validation":{"RecordWrapperType":"None","S3DistributionType":"FullyReplicated","TrainingInputMode":"File"}}"#))
        // Training logs show TABs as CloudWatch does for SageMaker training: #011.
        #expect(logs.contains("[1]#011train-rmse:0.25#011validation-rmse:0.5"))
        #expect(try fixture.tarMembers("models/fit-1/output/model.tar.gz") == ["model.csv", "sub/", "sub/w.bin"].filter { $0 != "sub/" })
        #expect(try fixture.tarMembers("models/fit-1/output/output.tar.gz") == ["report.txt"])

        let described = try fixture.service.describeTrainingJob(DescribeTrainingJobRequest(trainingJobName: "fit-1"))
        #expect(described.modelArtifacts?.s3ModelArtifacts == "s3://lab/models/fit-1/output/model.tar.gz")
        #expect(described.secondaryStatusTransitions?.map(\.status) == ["Starting", "Downloading", "Training", "Uploading", "Completed"])
        #expect(described.secondaryStatusTransitions?.first?.statusMessage == "Preparing the instances for training")
        #expect(described.finalMetricDataList?.map(\.metricName) == ["validation:rmse"])
        #expect(described.finalMetricDataList?.first?.value == 0.5)
        #expect((described.trainingTimeInSeconds ?? 0) >= 1 && described.billableTimeInSeconds == described.trainingTimeInSeconds)
        #expect(described.trainingStartTime != nil && described.trainingEndTime != nil)
    }

    @Test func theFailureFileIsTheFailureReasonAndNoModelIsUploaded() throws {
        let fixture = try EngineFixture()
        let job = try fixture.train(try fixture.trainingRequest(
            "fails-1", script: "echo weights > /opt/ml/model/m; printf 'framework error: \\nbad num_round' > /opt/ml/output/failure; exit 1"))
        #expect(job.status == .failed && job.secondaryStatus == .failed)
        #expect(job.failureReason == "AlgorithmError: framework error: \nbad num_round")
        #expect(throws: (any Error).self) { try fixture.root.s3.getObject(bucket: "lab", key: "models/fails-1/output/model.tar.gz") }
        let bare = try fixture.train(try fixture.trainingRequest("fails-2", script: "exit 3"))
        #expect(bare.failureReason == "AlgorithmError: , exit code: 3")
    }

    @Test func maxRuntimeEndsStoppedWithMaxRuntimeExceededAndTheModelSavedOnSIGTERM() throws {
        let fixture = try EngineFixture()
        let script = "trap 'echo saved > /opt/ml/model/final; exit 0' TERM; while true; do sleep 0.1; done"
        let job = try fixture.train(try fixture.trainingRequest("slow-1", script: script, maxRuntime: 1))
        #expect(job.status == .stopped && job.secondaryStatus == .maxRuntimeExceeded)
        #expect(try fixture.tarMembers("models/slow-1/output/model.tar.gz") == ["final"])
    }

    @Test func aModelFolderSwappedForALinkArchivesNothingFromTheHost() throws {
        let fixture = try EngineFixture()
        let secret = FileManager.default.temporaryDirectory.appending(path: "sagebox-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
        try Data("host secret".utf8).write(to: secret.appending(path: "id_rsa"))
        let script = "rm -rf /opt/ml/model && ln -s \(secret.path) /opt/ml/model; ln -s /etc/passwd /opt/ml/output/data/passwd; echo ok > /opt/ml/output/data/ok"
        let job = try fixture.train(try fixture.trainingRequest("links-1", script: script))
        #expect(job.status == .completed, "\(job.failureReason ?? "")")
        #expect(try fixture.tarMembers("models/links-1/output/model.tar.gz").isEmpty)
        #expect(try fixture.tarMembers("models/links-1/output/output.tar.gz") == ["ok"])
        #expect(FileManager.default.fileExists(atPath: secret.appending(path: "id_rsa").path))
        let events = try fixture.root.jobs.events(jobId: job.id!).map(\.message)
        #expect(events.contains { $0.contains("passwd (a symbolic link)") })
    }

    @Test func aFailureFileLinkedToAHostFileIsNotRead() throws {
        let fixture = try EngineFixture()
        let secret = FileManager.default.temporaryDirectory.appending(path: "sagebox-failure-\(UUID().uuidString)")
        try Data("host secret".utf8).write(to: secret)
        let job = try fixture.train(try fixture.trainingRequest(
            "failure-link", script: "ln -sf \(secret.path) /opt/ml/output/failure; exit 1"))
        #expect(job.status == .failed)
        #expect(job.failureReason == "AlgorithmError: , exit code: 1")
    }

    @Test func aFifoInTheModelIsPassedOverAndASparseOutputPastTheVolumeUploadsNothing() throws {
        let fixture = try EngineFixture()
        let fifo = try fixture.train(try fixture.trainingRequest(
            "model-fifo", script: "mkfifo /opt/ml/model/pipe; echo w > /opt/ml/model/weights"))
        #expect(fifo.status == .completed, "\(fifo.failureReason ?? "")")
        #expect(try fixture.tarMembers("models/model-fifo/output/model.tar.gz") == ["weights"])
        let events = try fixture.root.jobs.events(jobId: fifo.id!).map(\.message)
        #expect(events.contains { $0.contains("pipe (a FIFO)") })

        // A 2 GiB hole on a 1 GB volume: measured by its apparent size and refused before anything is read.
        let sparse = try fixture.train(try fixture.trainingRequest(
            "model-sparse", script: "truncate -s 2G /opt/ml/model/huge; echo w > /opt/ml/model/weights"))
        #expect(sparse.status == .failed)
        #expect(sparse.failureReason?.hasPrefix("ClientError: /opt/ml/model holds") == true, "\(sparse.failureReason ?? "")")
        #expect(throws: (any Error).self) { try fixture.root.s3.getObject(bucket: "lab", key: "models/model-sparse/output/model.tar.gz") }
    }
}
