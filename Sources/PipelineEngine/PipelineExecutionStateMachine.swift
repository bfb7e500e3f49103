import Foundation
import SageMakerAPI

// Step and execution statuses are botocore's enums `StepStatus` and `PipelineExecutionStatus` (spec §3),
// generated in SageMakerAPI.
extension StepStatus {
    /// A step that still holds a place under MaxParallelExecutionSteps.
    public var isRunning: Bool { self == .starting || self == .executing || self == .stopping }
}

extension PipelineExecutionStatus {
    public var isTerminal: Bool { self == .stopped || self == .failed || self == .succeeded }
}

/// The scheduling of one pipeline execution, without I/O, in the style of Hummingbird's
/// `HTTP2ServerConnectionManager.StateMachine`: a state struct and one function per event, each returning
/// the actions its caller must carry out (start steps, stop steps, finish the execution).
///
/// Rules (spec "Executor behaviours" 3 and 7, §3):
/// - a step starts once every step it waits for has succeeded, at once with the other ready steps, up to
///   `MaxParallelExecutionSteps` running steps (definition order decides who goes first);
/// - a branch step starts only after its Condition step chose its branch; the other branch's steps never
///   start and never appear, nor does anything downstream of them;
/// - steps downstream of a failed step never start;
/// - open question 7, decided: after a step fails, **no further step starts** (not even an independent one)
///   and steps already running are left to finish, not stopped: their work and its cache entries are kept,
///   and the execution ends `Failed` once the last of them ends. Stopping them would turn a user's single
///   failure into several Stopped jobs; starting new independent work for an execution already known to
///   fail would spend time on a result nobody can use;
/// - a stop request stops every running step; nothing starts after it; the execution ends `Stopped`
///   when the last one ends.
public struct PipelineExecutionStateMachine: Sendable {
    /// What the caller must do after an event.
    public enum Action: Sendable, Equatable {
        /// Run these steps (already marked Starting), in this order; report stepStarted once each is under way.
        case startSteps([String])
        /// Stop these running steps (already marked Stopping); report stepStopped (or their real end) for each.
        case stopSteps([String])
        /// The execution is over.
        case finishExecution(PipelineExecutionStatus, failureReason: String?)
    }

    /// One step that started, as ListPipelineExecutionSteps shows it.
    public struct StepRecord: Sendable, Equatable {
        public let name: String
        public internal(set) var status: StepStatus
        public internal(set) var failureReason: String?
        /// The step's properties once it succeeded (its Describe* response; `{"Outcome": bool}` for a Condition).
        public internal(set) var properties: JSONValue?
        /// The outcome of a Condition step.
        public internal(set) var outcome: ConditionOutcome?
        /// 0 for the first step started, 1 for the next, …
        public let startIndex: Int
        /// 1, then one more for each RetryPipelineExecution that ran the step again (`AttemptCount`).
        public let attemptCount: Int

        /// A step as an earlier run of the execution left it (read back from the store for a retry).
        public init(name: String, status: StepStatus, failureReason: String? = nil, properties: JSONValue? = nil,
                    outcome: ConditionOutcome? = nil, startIndex: Int, attemptCount: Int) {
            self.name = name
            self.status = status
            self.failureReason = failureReason
            self.properties = properties
            self.outcome = outcome
            self.startIndex = startIndex
            self.attemptCount = attemptCount
        }
    }

    /// The execution's FailureReason when a step failed (spec §3 "FailureReason texts").
    public static let stepFailureReason = "Step failure: One or multiple steps failed."

    public let graph: PipelineGraph
    public let maxParallelExecutionSteps: Int?
    private let branchOf: [String: BranchPosition]
    public private(set) var status: PipelineExecutionStatus = .executing
    public private(set) var failureReason: String?
    private var records: [String: StepRecord] = [:]
    private var hasStarted = false
    private var aStepFailed = false
    private var stopWasRequested = false
    /// Attempts already made of the steps a retry will run again.
    private var earlierAttempts: [String: Int] = [:]
    private var nextStartIndex = 0

    /// `maxParallelExecutionSteps`: the execution's ParallelismConfiguration (the start's, else the
    /// pipeline's); nil or less than 1 means no cap.
    public init(definition: PipelineDefinition, maxParallelExecutionSteps: Int?) {
        graph = definition.graph
        self.maxParallelExecutionSteps = maxParallelExecutionSteps.flatMap { $0 >= 1 ? $0 : nil }
        branchOf = Dictionary(uniqueKeysWithValues: definition.allSteps.compactMap { step in step.branchOf.map { (step.name, $0) } })
    }

    /// An execution that ended (Failed or Stopped) rebuilt from the steps it ran, so that `retried()` can
    /// run it again in another thread or process than the one that ran it first (RetryPipelineExecution).
    public init(definition: PipelineDefinition, maxParallelExecutionSteps: Int?, ended status: PipelineExecutionStatus,
                failureReason: String?, steps: [StepRecord]) {
        self.init(definition: definition, maxParallelExecutionSteps: maxParallelExecutionSteps)
        self.status = status
        self.failureReason = failureReason
        hasStarted = true
        records = Dictionary(steps.map { ($0.name, $0) }) { _, last in last }
        nextStartIndex = (steps.map(\.startIndex).max() ?? -1) + 1
        aStepFailed = steps.contains { $0.status == .failed }
        stopWasRequested = status == .stopped
    }

    // MARK: Queries

    public func step(_ name: String) -> StepRecord? { records[name] }

    /// Every step that started, newest first (ListPipelineExecutionSteps' order, spec §3).
    public var stepsNewestFirst: [StepRecord] {
        records.values.sorted { $0.startIndex > $1.startIndex }
    }

    /// The properties of the steps that succeeded, for the expression evaluator.
    public var stepProperties: [String: JSONValue] {
        records.compactMapValues(\.properties)
    }

    // MARK: Events

    /// The execution began: start every step that waits for nothing.
    public mutating func started() -> [Action] {
        guard !hasStarted else { return [] }
        hasStarted = true
        return scheduled()
    }

    /// A step the machine asked to start is under way (its job was created).
    public mutating func stepStarted(_ name: String) -> [Action] {
        guard records[name]?.status == .starting else { return [] }
        records[name]!.status = .executing
        return []
    }

    /// A step ended well; `properties` are its Describe* response.
    public mutating func stepSucceeded(_ name: String, properties: JSONValue) -> [Action] {
        guard let record = records[name], record.status.isRunning else { return [] }
        records[name]!.status = .succeeded
        records[name]!.properties = properties
        return scheduled()
    }

    /// A Condition step was evaluated: it succeeds with its outcome, and that branch may start.
    public mutating func conditionEvaluated(_ name: String, outcome: ConditionOutcome) -> [Action] {
        guard let record = records[name], record.status.isRunning else { return [] }
        records[name]!.outcome = outcome
        // The property is a boolean: a Std:Join of it renders `true`/`false` (spec §2).
        return stepSucceeded(name, properties: .object(["Outcome": .bool(outcome == .true)]))
    }

    /// A step failed. `reason` is its FailureReason (nil for a Fail step with an empty ErrorMessage).
    public mutating func stepFailed(_ name: String, reason: String?) -> [Action] {
        guard let record = records[name], record.status.isRunning else { return [] }
        records[name]!.status = .failed
        records[name]!.failureReason = reason
        aStepFailed = true
        return scheduled()
    }

    /// StopPipelineExecution: every running step is asked to stop.
    public mutating func stopRequested() -> [Action] {
        guard hasStarted, !status.isTerminal, !stopWasRequested else { return [] }
        stopWasRequested = true
        status = .stopping
        var toStop: [String] = []
        for record in records.values.sorted(by: { $0.startIndex < $1.startIndex }) where record.status == .starting || record.status == .executing {
            records[record.name]!.status = .stopping
            toStop.append(record.name)
        }
        return (toStop.isEmpty ? [] : [.stopSteps(toStop)]) + scheduled()
    }

    /// A step that was asked to stop has stopped.
    public mutating func stepStopped(_ name: String) -> [Action] {
        guard let record = records[name], record.status.isRunning else { return [] }
        records[name]!.status = .stopped
        return scheduled()
    }

    /// RetryPipelineExecution on a Failed or Stopped execution: the steps that failed or stopped run again
    /// (their AttemptCount grows), steps that succeeded keep their results, and the steps that never
    /// started may now start. Returns nothing when the execution is not Failed or Stopped.
    public mutating func retried() -> [Action] {
        guard status == .failed || status == .stopped else { return [] }
        for record in records.values where record.status == .failed || record.status == .stopped {
            earlierAttempts[record.name] = record.attemptCount
            records[record.name] = nil
        }
        status = .executing
        failureReason = nil
        aStepFailed = false
        stopWasRequested = false
        return scheduled()
    }

    // MARK: Scheduling

    /// Starts what may start, or finishes the execution when nothing runs and nothing more can start.
    private mutating func scheduled() -> [Action] {
        guard !status.isTerminal else { return [] }
        var running = records.values.filter(\.status.isRunning).count
        var toStart: [String] = []
        if !aStepFailed && !stopWasRequested {
            for name in graph.order where isReady(name) {
                if let cap = maxParallelExecutionSteps, running >= cap { break }
                records[name] = StepRecord(name: name, status: .starting, startIndex: nextStartIndex, attemptCount: (earlierAttempts[name] ?? 0) + 1)
                nextStartIndex += 1
                toStart.append(name)
                running += 1
            }
        }
        if !toStart.isEmpty { return [.startSteps(toStart)] }
        guard running == 0 else { return [] }
        if stopWasRequested {
            status = .stopped
        } else if aStepFailed {
            status = .failed
            failureReason = Self.stepFailureReason
        } else {
            status = .succeeded
        }
        return [.finishExecution(status, failureReason: failureReason)]
    }

    /// Not started, every dependency succeeded, and (for a branch step) its branch was chosen.
    private func isReady(_ name: String) -> Bool {
        guard records[name] == nil else { return false }
        for dependency in graph.dependencies[name] ?? [] where records[dependency]?.status != .succeeded {
            return false
        }
        if let branch = branchOf[name], records[branch.conditionStep]?.outcome != branch.branch {
            return false
        }
        return true
    }
}

extension PipelineExecutionStateMachine {
    /// A Fail step's FailureReason: its evaluated ErrorMessage, or none when that is empty (spec §3).
    public static func failStepReason(errorMessage: String) -> String? {
        errorMessage.isEmpty ? nil : errorMessage
    }
}
