import Foundation
import SageMakerAPI
import Testing
@testable import PipelineEngine

/// Cache keys and ExpireAfter (spec §3 "Caching"), and the names the service gives (spec §3 "Job names").
@Suite struct StepCacheTests {
    func evaluatedTraining(maxDepth: String, evaluator: ExpressionEvaluator) throws -> (PipelineStep, JSONValue) {
        var evaluator = evaluator
        evaluator.parameters = try PipelineParameters.resolve(declared: evaluator.definition.parameters, given: [.init(name: "MaxDepth", value: maxDepth)])
        let step = try #require(evaluator.definition.step(named: "ChurnTrain"))
        return (step, try evaluator.evaluate(step.arguments))
    }

    @Test func keysCompareEvaluatedKeyAttributesOnly() throws {
        let definition = try Fixture.churnPipeline()
        let evaluator = Fixture.evaluator(definition, properties: ["ChurnProcess": ExpressionTests.processProperties])
        let (step, five) = try evaluatedTraining(maxDepth: "5", evaluator: evaluator)
        let (_, again) = try evaluatedTraining(maxDepth: "5", evaluator: evaluator)
        let (_, six) = try evaluatedTraining(maxDepth: "6", evaluator: evaluator)
        let key = try #require(CacheKey(step: step, evaluatedArguments: five))
        #expect(CacheKey(step: step, evaluatedArguments: again) == key)
        #expect(CacheKey(step: step, evaluatedArguments: six) != key)
        // Members outside the key (output path, instance type) do not change it.
        guard case .object(var changed) = five else { Issue.record("arguments are not an object"); return }
        changed["OutputDataConfig"] = ["S3OutputPath": "s3://elsewhere"]
        changed["ResourceConfig"] = ["InstanceType": "ml.m5.4xlarge", "InstanceCount": 2, "VolumeSizeInGB": 30]
        #expect(CacheKey(step: step, evaluatedArguments: .object(changed)) == key)
        #expect(key.attributes.contains("\"max_depth\":\"5\""))
        #expect(!key.attributes.contains("OutputDataConfig"))
    }

    @Test func processingKeyAttributes() throws {
        let definition = try Fixture.churnPipeline()
        let step = try #require(definition.step(named: "ChurnProcess"))
        let arguments: JSONValue = ["AppSpecification": ["ImageUri": "i"], "ProcessingInputs": [], "ProcessingOutputConfig": ["Outputs": []]]
        let key = try #require(CacheKey(step: step, evaluatedArguments: arguments))
        #expect(key.attributes == #"{"AppSpecification":{"ImageUri":"i"},"ProcessingInputs":[]}"#)
        #expect(key.stepType == "Processing")
        // Condition, Fail, Model and RegisterModel steps are never cached.
        #expect(CacheKey(step: try #require(definition.step(named: "ChurnAccuracyCheck")), evaluatedArguments: arguments) == nil)
        #expect(CacheKey(step: try #require(definition.step(named: "ChurnCreateModel-CreateModel")), evaluatedArguments: arguments) == nil)
    }

    @Test func aHitIsTheMostRecentUnexpiredRunWithAnEqualKey() throws {
        let step = try #require(try Fixture.churnPipeline().step(named: "ChurnProcess"))
        let key = try #require(CacheKey(step: step, evaluatedArguments: ["AppSpecification": ["ImageUri": "i"]]))
        let other = try #require(CacheKey(step: step, evaluatedArguments: ["AppSpecification": ["ImageUri": "j"]]))
        let now = Date(timeIntervalSince1970: 10_000)
        let runs = [
            CachedStepRun(key: key, pipelineExecutionArn: "old", endTime: now.addingTimeInterval(-4_000)),
            CachedStepRun(key: key, pipelineExecutionArn: "recent", endTime: now.addingTimeInterval(-600)),
            CachedStepRun(key: key, pipelineExecutionArn: "middle", endTime: now.addingTimeInterval(-1_200)),
            CachedStepRun(key: other, pipelineExecutionArn: "newest-other", endTime: now.addingTimeInterval(-10)),
        ]
        let hour = step.cacheConfig
        #expect(CachedStepRun.hit(for: key, config: hour, now: now, among: runs)?.pipelineExecutionArn == "recent")
        let tenMinutes = CacheConfig(enabled: true, expireAfter: ExpireAfter(parsing: "T5m"))
        #expect(CachedStepRun.hit(for: key, config: tenMinutes, now: now, among: runs) == nil)
        #expect(CachedStepRun.hit(for: key, config: CacheConfig(enabled: false, expireAfter: nil), now: now, among: runs) == nil)
        #expect(CachedStepRun.hit(for: key, config: nil, now: now, among: runs) == nil)
        #expect(CachedStepRun.hit(for: key, config: CacheConfig(enabled: true, expireAfter: nil), now: now, among: runs)?.pipelineExecutionArn == "recent")
    }

    @Test(arguments: [
        ("PT1H", 3_600.0), ("30d", 30 * 86_400.0), ("T16m", 960.0), ("30dT5h", 30 * 86_400.0 + 5 * 3_600), ("p30d", 30 * 86_400.0),
        ("P4DT12H", 4.5 * 86_400), ("T12H", 43_200.0), ("PT90S", 90.0), ("P2W", 14 * 86_400.0), ("PT0.5H", 1_800.0),
        ("P1M", 31 * 86_400.0), ("5y", (365 * 5 + 1) * 86_400.0),
    ] as [(String, Double)])
    func expireAfterForms(text: String, seconds: Double) throws {
        // From 2026-01-01: one month is January's 31 days; five years hold one leap day (2028).
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let duration = try #require(ExpireAfter(parsing: text))
        #expect(duration.date(after: start).timeIntervalSince(start) == seconds)
    }

    @Test(arguments: ["", "P", "PT", "1 hour", "PT1X", "P1H", "T", "PT5", "P1DT", "P1DT2HT3M"])
    func expireAfterRefuses(text: String) {
        #expect(ExpireAfter(parsing: text) == nil)
    }

    @Test func executionIdsAndJobNames() {
        var generator = SystemRandomNumberGenerator()
        let id = PipelineNames.executionId(using: &generator)
        #expect(id.count == 12)
        #expect(id.allSatisfy { ($0.isLowercase || $0.isNumber) && $0.isASCII })
        #expect(PipelineNames.executionId() != PipelineNames.executionId())
        let name = PipelineNames.jobName(executionId: "kytlemm1lvpq", stepName: "PreprocessingStep")
        #expect(name.hasPrefix("pipelines-kytlemm1lvpq-PreprocessingStep-"))
        #expect(name.count == "pipelines-kytlemm1lvpq-PreprocessingStep-".count + 10)
        #expect(name.suffix(10).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        let long = PipelineNames.jobName(executionId: "p1gtwhjm9dzt", stepName: "class-tfidf-evaluation-step")
        #expect(long.hasPrefix("pipelines-p1gtwhjm9dzt-class-tfidf-evaluati-"))
        #expect(long.count == 54)
        #expect(PipelineNames.executionArn(region: "eu-west-1", account: "111122223333", pipelineName: "SimpleXGBoostPipeline", executionId: "ztefwbnlgoif")
            == "arn:aws:sagemaker:eu-west-1:111122223333:pipeline/simplexgboostpipeline/execution/ztefwbnlgoif")
    }
}
