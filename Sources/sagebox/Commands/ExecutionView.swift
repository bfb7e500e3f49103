import Foundation
import JobStore
import PipelineEngine
import ProcessingEngine
import SageMakerAPI

/// `pipeline describe`'s view of an execution: its status and times, then every step of its definition drawn
/// as a tree in dependency order (a step sits under the latest of the steps it waits for; the others it
/// waits for are named after it), with the step's status, time, and for a failed step its FailureReason
/// and the command that prints its job's logs.
struct ExecutionView {
    let execution: PipelineExecutionRecord
    let root: SageboxRoot
    /// The `--root` the user gave, repeated in the logs commands shown (nil: they use the default root too).
    let rootOption: String?

    var lines: [String] {
        get throws {
            let store = root.pipelines
            let pipeline = try store.pipeline(id: execution.pipelineId)
            var lines = [
                "Execution      \(execution.arn)",
                "Pipeline       \(pipeline?.name ?? "?") (version \(execution.pipelineVersion))",
                "Status         \(execution.status.rawValue)",
                "Started        \(Output.timestamp(Self.date(execution.creationTime)))",
            ]
            if let end = execution.endTime {
                lines.append("Ended          \(Output.timestamp(Self.date(end))) (\(Self.duration(from: execution.creationTime, to: end)))")
            }
            if let reason = execution.failureReason { lines.append("FailureReason  \(reason)") }
            lines.append("")
            let steps = Dictionary(try store.steps(executionId: execution.id!).map { ($0.name, $0) }) { first, _ in first }
            guard let version = try store.version(execution.pipelineVersion, pipelineId: execution.pipelineId),
                  let definition = try? PipelineDefinition(parsing: version.definition) else {
                return lines + ["(the definition cannot be read: see `sagebox pipeline steps`)"]
            }
            return lines + StepTree(definition: definition, steps: steps, logsCommand: logsCommand).lines
        }
    }

    /// `sagebox [--root DIR] logs [--training] JOB`.
    private func logsCommand(_ step: PipelineStepRecord) -> String? {
        guard let job = step.jobName else { return nil }
        return (["sagebox"] + (rootOption.map { ["--root", $0] } ?? []) + ["logs"] + (step.type == "Training" ? ["--training"] : []) + [job])
            .joined(separator: " ")
    }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    /// `4.2 s`, `3 min 05 s`; up to now while it runs.
    static func duration(from start: Double, to end: Double?) -> String {
        let seconds = max(0, (end ?? Date().timeIntervalSince1970) - start)
        let text = seconds < 60 ? String(format: "%.1f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
        return end == nil ? "\(text) so far" : text
    }

    /// The ARN a step's Metadata names (its job, model or model package).
    static func resourceArn(_ metadata: PipelineExecutionStepMetadata?) -> String? {
        metadata?.processingJob?.arn ?? metadata?.trainingJob?.arn ?? metadata?.model?.arn ?? metadata?.registerModel?.arn
    }
}

/// The definition's steps as a tree: each step under the deepest step it waits for.
struct StepTree {
    let definition: PipelineDefinition
    let steps: [String: PipelineStepRecord]
    let logsCommand: (PipelineStepRecord) -> String?

    private var parent: [String: String] = [:]
    private var children: [String: [String]] = [:]

    init(definition: PipelineDefinition, steps: [String: PipelineStepRecord], logsCommand: @escaping (PipelineStepRecord) -> String?) {
        self.definition = definition
        self.steps = steps
        self.logsCommand = logsCommand
        let graph = definition.graph
        let position = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { ($1, $0) })
        var depth: [String: Int] = [:]
        func depthOf(_ name: String) -> Int {
            if let known = depth[name] { return known }
            let value = (graph.dependencies[name] ?? []).map { depthOf($0) + 1 }.max() ?? 0
            depth[name] = value
            return value
        }
        for name in graph.order {
            // The deepest dependency (the later in definition order on a tie) is the step it is drawn under.
            guard let under = (graph.dependencies[name] ?? []).max(by: { (depthOf($0), position[$0] ?? 0) < (depthOf($1), position[$1] ?? 0) }) else { continue }
            parent[name] = under
            children[under, default: []].append(name)
        }
    }

    var lines: [String] {
        var rows: [(tree: String, status: String, time: String, note: String, details: [String], detailPrefix: String)] = []
        func walk(_ name: String, prefix: String, isLast: Bool, isRoot: Bool) {
            let kids = children[name] ?? []
            let childPrefix = isRoot ? "" : prefix + (isLast ? "   " : "│  ")
            let row = steps[name]
            var details: [String] = []
            if let row, row.status == .failed {
                if let reason = row.failureReason { details.append("FailureReason: \(reason)") }
                if let command = logsCommand(row) { details.append("Logs: \(command)") }
            }
            rows.append((tree: (isRoot ? "" : prefix + (isLast ? "└─ " : "├─ ")) + label(name),
                         status: row?.status.rawValue ?? "not started",
                         time: row.map { ExecutionView.duration(from: $0.startTime, to: $0.endTime) } ?? "",
                         note: note(name, row), details: details, detailPrefix: childPrefix + (kids.isEmpty ? "   " : "│  ")))
            for (index, kid) in kids.enumerated() {
                walk(kid, prefix: childPrefix, isLast: index == kids.count - 1, isRoot: false)
            }
        }
        for name in definition.graph.order where parent[name] == nil {
            walk(name, prefix: "", isLast: true, isRoot: true)
        }
        let treeWidth = rows.map(\.tree.count).max() ?? 0
        let statusWidth = rows.map(\.status.count).max() ?? 0
        let timeWidth = rows.map(\.time.count).max() ?? 0
        var lines = ["Steps"]
        for row in rows {
            let line = row.tree.padding(toLength: treeWidth, withPad: " ", startingAt: 0) + "  "
                + row.status.padding(toLength: statusWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: timeWidth - row.time.count) + row.time + "  " + row.note
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))  // the tree's indentation stays
            lines += row.details.map { row.detailPrefix + $0 }
        }
        return lines
    }

    /// The step's name; a branch step drawn under its Condition says which branch it is in.
    private func label(_ name: String) -> String {
        guard let branch = definition.step(named: name)?.branchOf else { return name }
        let word = branch.branch == .true ? "if" : "else"
        return parent[name] == branch.conditionStep ? "\(word): \(name)" : "\(name) (\(word) of \(branch.conditionStep))"
    }

    /// What else there is to know at a glance: the other steps it waits for, a Condition's outcome, a cache hit, a retry.
    private func note(_ name: String, _ row: PipelineStepRecord?) -> String {
        var notes: [String] = []
        let others = (definition.graph.dependencies[name] ?? []).subtracting([parent[name] ?? ""])
        if !others.isEmpty { notes.append("after " + definition.graph.order.filter(others.contains).joined(separator: ", ")) }
        if let row {
            if let metadata = row.metadata, let outcome = try? JSONValue(parsing: Data(metadata.utf8))["Condition"]?["Outcome"]?.stringValue {
                notes.append("Outcome: \(outcome)")
            }
            if let source = row.cacheSourceExecutionArn { notes.append("cache hit: \(source.split(separator: "/").last ?? "")") }
            if row.attemptCount > 1 { notes.append("attempt \(row.attemptCount)") }
        }
        return notes.joined(separator: "; ")
    }
}
