import Foundation
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Each job sees only its own /opt/ml")
struct IsolationTests {
    @Test func twoJobsRunningAtOnceEachSeeOnlyTheirOwnOptML() async throws {
        let hostHadOptML = FileManager.default.fileExists(atPath: "/opt/ml")
        let fixture = try EngineFixture()
        // Each job writes its marker, waits for the other to have written its own, then lists /opt/ml/processing.
        let script = """
            touch /opt/ml/processing/out/$MARK; sleep 1; ls /opt/ml/processing/out; ls /opt/ml/processing
            """
        var first = fixture.request("first", script: script, outputs: [fixture.output("out", uri: "s3://lab/first/", localPath: "/opt/ml/processing/out")])
        first.environment = ["MARK": "first"]
        var second = fixture.request("second", script: script, outputs: [fixture.output("out", uri: "s3://lab/second/", localPath: "/opt/ml/processing/out")])
        second.environment = ["MARK": "second"]
        async let a = Task.detached { try fixture.run(first) }.value
        async let b = Task.detached { try fixture.run(second) }.value
        let (jobA, jobB) = try await (a, b)
        #expect(jobA.status == .completed && jobB.status == .completed)
        #expect(try fixture.logs("first") == ["first", "out"])
        #expect(try fixture.logs("second") == ["second", "out"])
        #expect(FileManager.default.fileExists(atPath: "/opt/ml") == hostHadOptML)
    }

    @Test func theJobCannotSeeSageboxsRoot() throws {
        let fixture = try EngineFixture()
        try fixture.put("secret.txt", "s")
        let rootPath = fixture.root.url.path
        let script = "test -e '\(rootPath)/sagebox.sqlite' && echo visible || echo hidden; ls -A /tmp | wc -l"
        let job = try fixture.run(fixture.request("peek", script: script))
        #expect(job.status == .completed)
        // The root is hidden, and the job's /tmp is its own, empty one.
        #expect(try fixture.logs("peek").map { $0.trimmingCharacters(in: .whitespaces) } == ["hidden", "0"])
    }
}

@Suite("The image table")
struct ImageTableTests {
    @Test func aRuntimeFolderUnderTheHostsTmpIsMountedForTheJob() throws {
        let fixture = try EngineFixture()
        // A tiny "runtime" under the host's /tmp, which the job's private /tmp would otherwise hide.
        let runtime = FileManager.default.temporaryDirectory.appending(path: "runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: runtime.appending(path: "bin"), withIntermediateDirectories: true)
        let tool = runtime.appending(path: "bin/greet")
        try "#!/bin/sh\necho hello from $0\n".write(to: tool, atomically: true, encoding: .utf8)
        chmod(tool.path, 0o755)
        let table = ImageTable(images: [
            ImageEntry(match: "local/with-runtime", path: [runtime.appending(path: "bin").path], mounts: [runtime.path],
                       entrypoint: ["greet"]),
            ImageEntry(match: "*"),
        ])
        try JSONEncoder().encode(table).write(to: fixture.root.imageTableURL)
        var request = fixture.request("runtime", script: "")
        request.appSpecification = AppSpecification(imageUri: "local/with-runtime")
        #expect(try fixture.run(request).status == .completed)
        #expect(try fixture.logs("runtime") == ["hello from \(tool.path)"])

        // Arguments alone replace the image's CMD and keep its ENTRYPOINT, as `docker run` does.
        request.processingJobName = "runtime-args"
        request.appSpecification?.containerArguments = ["ignored-by-greet"]
        #expect(try fixture.run(request).status == .completed)
    }

    @Test func theSparkProcessingImagesRunSmsparkSubmitOnceTheSparkRuntimeIsInstalled() throws {
        let manager = FileManager.default
        let checkout = manager.temporaryDirectory.appending(path: "checkout-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: checkout) }
        func executable(_ relative: String) throws {
            let url = checkout.appending(path: relative)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "#!/bin/sh\n".write(to: url, atomically: true, encoding: .utf8)
            chmod(url.path, 0o755)
        }
        let image = "173754725891.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-processing:3.5-cpu"
        try executable("runtimes/spark/bin/smspark-submit")
        let venv = checkout.appending(path: ".venv")
        // Without `make spark-runtime`'s venv the image falls through to the host entry.
        #expect(ImageTable.makeDefault(pythonEnvironment: venv, environment: [:]).entry(for: image)?.match == "*")

        try executable(".venv-spark/bin/spark-submit")
        let table = ImageTable.makeDefault(pythonEnvironment: venv, environment: [:])
        let entry = try #require(table.entry(for: image))
        #expect(entry.match == "*sagemaker-spark-processing*")
        #expect(entry.entrypoint == ["smspark-submit"])
        #expect(entry.path == [checkout.appending(path: "runtimes/spark/bin").path, checkout.appending(path: ".venv-spark/bin").path])
        #expect(entry.mounts == [checkout.appending(path: ".venv-spark").path, checkout.appending(path: "runtimes/spark").path])
        #expect(entry.environment["SAGEBOX_SPARK_RUNTIME"] == checkout.appending(path: "runtimes/spark").path)
        #expect(table.entry(for: "sagebox/other:1")?.match == "*")

        // SAGEBOX_SPARK_ENV names another venv, which must hold spark-submit.
        #expect(ImageTable.makeDefault(pythonEnvironment: venv, environment: ["SAGEBOX_SPARK_ENV": "/nonexistent"])
            .entry(for: image)?.match == "*")
    }

    @Test func anImageWithNoEntrypointAndNoRequestedOneFailsWithAClientError() throws {
        let fixture = try EngineFixture()
        var request = fixture.request("no-entrypoint", script: "")
        request.appSpecification = AppSpecification(imageUri: "anything")
        let job = try fixture.run(request)
        #expect(job.status == .failed)
        #expect(job.failureReason?.hasPrefix("ClientError: The image anything has no ENTRYPOINT or CMD") == true)
    }
}
