import Foundation
import JobStore
@testable import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("FinalMetricDataList from the log lines")
struct TrainingMetricsTests {
    func events(_ lines: [String]) -> [LogEventRecord] {
        lines.enumerated().map { LogEventRecord(jobId: 1, logStream: "s", timestamp: Int64(1000 * ($0.offset + 1)), message: $0.element) }
    }

    @Test func theLastValueOfEachMetricIsItsFinalOneAndAGreedyCaptureIsReadAsItsNumber() {
        let lines = events(["[0]#011train-auc:0.6#011validation-auc:0.5", "noise", "[1]#011train-auc:0.9#011validation-auc:0.75"])
        let user = TrainingMetrics.finalValues(of: [MetricDefinition(name: "train:auc", regex: ".*\\[[0-9]+\\].*#011train-auc:(\\S+)")],
                                               in: lines)
        #expect(user.map(\.value) == [0.9])
        #expect(user.first?.timestamp == Date(timeIntervalSince1970: 3))
        let builtIn = ImageTable.xgboostMetrics.map { MetricDefinition(name: $0.name, regex: $0.regex) }
        let finals = TrainingMetrics.finalValues(of: builtIn, in: lines)
        #expect(Dictionary(uniqueKeysWithValues: finals.map { ($0.metricName!, $0.value!) }) == ["train:auc": 0.9, "validation:auc": 0.75])
    }

    @Test func capturesThatAreNoNumberAndBadRegexesAreSkipped() {
        let lines = events(["loss: nan", "loss: abc", "loss: -1.5e-3x"])
        #expect(TrainingMetrics.finalValues(of: [MetricDefinition(name: "loss", regex: "loss: (\\S+)")], in: lines).map(\.value) == [-0.0015])
        #expect(TrainingMetrics.finalValues(of: [MetricDefinition(name: "bad", regex: "(")], in: lines).isEmpty)
    }
}
