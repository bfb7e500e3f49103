import Foundation
import Testing
@testable import PipelineEngine

/// The execution state machine (spec "Executor behaviours" 3 and 7, §3).
@Suite struct StateMachineTests {
    typealias Machine = PipelineExecutionStateMachine

    /// Three independent steps and one that waits for all of them.
    func fanIn() throws -> PipelineDefinition {
        try Fixture.definition(steps: [
            Fixture.processing("A"), Fixture.processing("B"), Fixture.processing("C"),
            Fixture.processing("D", arguments: ["X": ["Get": "Steps.A.ProcessingJobArn"]], dependsOn: ["B", "C"]),
        ])
    }

    @Test func appendixARunsThroughTheIfBranch() throws {
        var machine = Machine(definition: try Fixture.churnPipeline(), maxParallelExecutionSteps: nil)
        #expect(machine.started() == [.startSteps(["ChurnProcess"])])
        #expect(machine.step("ChurnProcess")?.status == .starting)
        #expect(machine.stepStarted("ChurnProcess") == [])
        #expect(machine.step("ChurnProcess")?.status == .executing)
        #expect(machine.stepSucceeded("ChurnProcess", properties: ExpressionTests.processProperties) == [.startSteps(["ChurnTrain"])])
        #expect(machine.stepSucceeded("ChurnTrain", properties: ExpressionTests.trainProperties) == [.startSteps(["ChurnEval"])])
        #expect(machine.stepSucceeded("ChurnEval", properties: ExpressionTests.evalProperties) == [.startSteps(["ChurnAccuracyCheck"])])
        #expect(machine.conditionEvaluated("ChurnAccuracyCheck", outcome: .true)
            == [.startSteps(["ChurnCreateModel-CreateModel", "ChurnRegisterModel-RegisterModel"])])
        #expect(machine.stepProperties["ChurnAccuracyCheck"] == ["Outcome": true])
        #expect(machine.stepSucceeded("ChurnCreateModel-CreateModel", properties: ["ModelArn": "m"]) == [])
        #expect(machine.status == .executing)
        #expect(machine.stepSucceeded("ChurnRegisterModel-RegisterModel", properties: ["ModelPackageArn": "p"])
            == [.finishExecution(.succeeded, failureReason: nil)])
        #expect(machine.status == .succeeded)
        // Newest first; the Fail step of the other branch never appears.
        #expect(machine.stepsNewestFirst.map(\.name) == [
            "ChurnRegisterModel-RegisterModel", "ChurnCreateModel-CreateModel", "ChurnAccuracyCheck", "ChurnEval", "ChurnTrain", "ChurnProcess",
        ])
        #expect(machine.stepsNewestFirst.allSatisfy { $0.status == .succeeded })
        #expect(machine.step("ChurnAccuracyCheck")?.outcome == .true)
    }

    @Test func appendixAElseBranchEndsInItsFailStep() throws {
        let definition = try Fixture.churnPipeline()
        var machine = Machine(definition: definition, maxParallelExecutionSteps: nil)
        _ = machine.started()
        _ = machine.stepSucceeded("ChurnProcess", properties: ExpressionTests.processProperties)
        _ = machine.stepSucceeded("ChurnTrain", properties: ExpressionTests.trainProperties)
        _ = machine.stepSucceeded("ChurnEval", properties: ExpressionTests.evalProperties)
        #expect(machine.conditionEvaluated("ChurnAccuracyCheck", outcome: .false) == [.startSteps(["ChurnAccuracyTooLow"])])
        // The executor evaluates the Fail step's message and reports it as the step's failure.
        let evaluator = Fixture.evaluator(definition, parameters: ["AccuracyThreshold": 0.7], properties: machine.stepProperties)
        let message = try evaluator.evaluate(try #require(definition.step(named: "ChurnAccuracyTooLow")?.errorMessage))
        let reason = Machine.failStepReason(errorMessage: ExpressionEvaluator.text(of: message))
        #expect(machine.stepFailed("ChurnAccuracyTooLow", reason: reason)
            == [.finishExecution(.failed, failureReason: "Step failure: One or multiple steps failed.")])
        #expect(machine.step("ChurnAccuracyTooLow")?.failureReason == "Accuracy below 0.7")
        #expect(machine.stepsNewestFirst.map(\.name).first == "ChurnAccuracyTooLow")
        #expect(machine.step("ChurnCreateModel-CreateModel") == nil)
        #expect(machine.failureReason == "Step failure: One or multiple steps failed.")
    }

    @Test func anEmptyFailMessageGivesNoFailureReason() {
        #expect(Machine.failStepReason(errorMessage: "") == nil)
        #expect(Machine.failStepReason(errorMessage: "x") == "x")
    }

    @Test func independentStepsStartTogether() throws {
        var machine = Machine(definition: try fanIn(), maxParallelExecutionSteps: nil)
        #expect(machine.started() == [.startSteps(["A", "B", "C"])])
        #expect(machine.stepSucceeded("B", properties: [:]) == [])
        #expect(machine.stepSucceeded("A", properties: [:]) == [])
        #expect(machine.stepSucceeded("C", properties: [:]) == [.startSteps(["D"])])
        #expect(machine.stepSucceeded("D", properties: [:]) == [.finishExecution(.succeeded, failureReason: nil)])
    }

    @Test func maxParallelExecutionStepsCapsRunningSteps() throws {
        var one = Machine(definition: try fanIn(), maxParallelExecutionSteps: 1)
        #expect(one.started() == [.startSteps(["A"])])
        #expect(one.stepSucceeded("A", properties: [:]) == [.startSteps(["B"])])
        #expect(one.stepSucceeded("B", properties: [:]) == [.startSteps(["C"])])
        #expect(one.stepSucceeded("C", properties: [:]) == [.startSteps(["D"])])
        var two = Machine(definition: try fanIn(), maxParallelExecutionSteps: 2)
        #expect(two.started() == [.startSteps(["A", "B"])])
        #expect(two.stepSucceeded("B", properties: [:]) == [.startSteps(["C"])])
        #expect(two.stepSucceeded("C", properties: [:]) == [])
        #expect(two.stepSucceeded("A", properties: [:]) == [.startSteps(["D"])])
        // 0 means no cap, as nil does.
        var zero = Machine(definition: try fanIn(), maxParallelExecutionSteps: 0)
        #expect(zero.started() == [.startSteps(["A", "B", "C"])])
    }

    @Test func downstreamOfAFailedStepNeverStartsAndRunningStepsFinish() throws {
        var machine = Machine(definition: try fanIn(), maxParallelExecutionSteps: nil)
        _ = machine.started()
        #expect(machine.stepFailed("A", reason: "AlgorithmError: See job logs for more information") == [])
        #expect(machine.status == .executing)
        #expect(machine.stepSucceeded("B", properties: [:]) == [])
        #expect(machine.stepSucceeded("C", properties: [:]) == [.finishExecution(.failed, failureReason: Machine.stepFailureReason)])
        #expect(machine.step("D") == nil)
        #expect(machine.step("A")?.failureReason == "AlgorithmError: See job logs for more information")
        #expect(machine.stepsNewestFirst.map(\.status) == [.succeeded, .succeeded, .failed])
    }

    @Test func noIndependentStepStartsAfterAFailure() throws {
        // With one slot, A fails while B and C wait: they never start (open question 7).
        var machine = Machine(definition: try fanIn(), maxParallelExecutionSteps: 1)
        _ = machine.started()
        #expect(machine.stepFailed("A", reason: "boom") == [.finishExecution(.failed, failureReason: Machine.stepFailureReason)])
        #expect(machine.stepsNewestFirst.map(\.name) == ["A"])
    }

    @Test func stopStopsRunningStepsAndEndsStopped() throws {
        var machine = Machine(definition: try fanIn(), maxParallelExecutionSteps: nil)
        _ = machine.started()
        _ = machine.stepStarted("A")
        _ = machine.stepStarted("B")
        #expect(machine.stepSucceeded("C", properties: [:]) == [])
        #expect(machine.stopRequested() == [.stopSteps(["A", "B"])])
        #expect(machine.status == .stopping)
        #expect(machine.step("A")?.status == .stopping)
        #expect(machine.stopRequested() == [])
        #expect(machine.stepStopped("A") == [])
        // A step that ends on its own while stopping is recorded as it ended; nothing new starts.
        #expect(machine.stepSucceeded("B", properties: [:]) == [.finishExecution(.stopped, failureReason: nil)])
        #expect(machine.status == .stopped)
        #expect(machine.step("A")?.status == .stopped)
        #expect(machine.step("D") == nil)
        #expect(machine.stopRequested() == [])
    }

    @Test func eventsOutOfOrderAreIgnored() throws {
        var machine = Machine(definition: try fanIn(), maxParallelExecutionSteps: nil)
        #expect(machine.stepSucceeded("A", properties: [:]) == [])
        _ = machine.started()
        #expect(machine.started() == [])
        #expect(machine.stepSucceeded("D", properties: [:]) == [])
        #expect(machine.stepSucceeded("A", properties: [:]) == [])
        #expect(machine.stepFailed("A", reason: "late") == [])
        #expect(machine.step("A")?.status == .succeeded)
    }

    @Test func aPipelineWithoutStepsSucceedsAtOnce() throws {
        var machine = Machine(definition: try Fixture.definition(steps: []), maxParallelExecutionSteps: nil)
        #expect(machine.started() == [.finishExecution(.succeeded, failureReason: nil)])
    }

    @Test func aStepDownstreamOfTheBranchNotTakenNeverStarts() throws {
        // After depends on a step of the If branch; the Else branch is taken.
        let definition = try Fixture.definition(steps: [
            ["Name": "Check", "Type": "Condition", "Arguments": [
                "Conditions": [["Type": "Equals", "LeftValue": 1, "RightValue": 2]],
                "IfSteps": [Fixture.processing("Yes")], "ElseSteps": [Fixture.processing("No")],
            ]],
            Fixture.processing("After", dependsOn: ["Yes"]),
            Fixture.processing("Independent"),
        ])
        var machine = Machine(definition: definition, maxParallelExecutionSteps: nil)
        #expect(machine.started() == [.startSteps(["Check", "Independent"])])
        let evaluator = Fixture.evaluator(definition)
        let outcome = try ConditionEvaluator.outcome(of: try #require(definition.step(named: "Check")?.conditionBranches?.conditions), with: evaluator)
        #expect(outcome == .false)
        #expect(machine.conditionEvaluated("Check", outcome: outcome) == [.startSteps(["No"])])
        #expect(machine.stepSucceeded("Independent", properties: [:]) == [])
        #expect(machine.stepSucceeded("No", properties: [:]) == [.finishExecution(.succeeded, failureReason: nil)])
        #expect(Set(machine.stepsNewestFirst.map(\.name)) == ["Check", "Independent", "No"])
    }
}

/// RetryPipelineExecution.
@Suite struct RetryTests {
    typealias Machine = PipelineExecutionStateMachine

    @Test func aRetryRunsTheFailedAndStoppedStepsAgainAndKeepsTheRest() throws {
        let definition = try Fixture.definition(steps: [
            Fixture.processing("A"), Fixture.processing("B"), Fixture.processing("C", dependsOn: ["A", "B"]),
        ])
        var machine = Machine(definition: definition, maxParallelExecutionSteps: nil)
        #expect(machine.retried() == [])
        _ = machine.started()
        _ = machine.stepSucceeded("A", properties: ["Run": 1])
        #expect(machine.stepFailed("B", reason: "boom") == [.finishExecution(.failed, failureReason: Machine.stepFailureReason)])
        #expect(machine.retried() == [.startSteps(["B"])])
        #expect(machine.status == .executing)
        #expect(machine.failureReason == nil)
        #expect(machine.step("B")?.attemptCount == 2)
        #expect(machine.step("B")?.failureReason == nil)
        #expect(machine.step("A")?.attemptCount == 1)
        #expect(machine.stepProperties["A"] == ["Run": 1])
        #expect(machine.stepSucceeded("B", properties: [:]) == [.startSteps(["C"])])
        #expect(machine.stepSucceeded("C", properties: [:]) == [.finishExecution(.succeeded, failureReason: nil)])
        #expect(machine.stepsNewestFirst.map(\.name) == ["C", "B", "A"])
        #expect(machine.retried() == [])
    }

    @Test func aStoppedExecutionCanBeRetried() throws {
        var machine = Machine(definition: try Fixture.definition(steps: [Fixture.processing("A")]), maxParallelExecutionSteps: nil)
        _ = machine.started()
        #expect(machine.stopRequested() == [.stopSteps(["A"])])
        #expect(machine.stepStopped("A") == [.finishExecution(.stopped, failureReason: nil)])
        #expect(machine.retried() == [.startSteps(["A"])])
        #expect(machine.step("A")?.attemptCount == 2)
        #expect(machine.stepSucceeded("A", properties: [:]) == [.finishExecution(.succeeded, failureReason: nil)])
    }
}

/// A retry in another process: the machine rebuilt from the stored steps of an ended execution.
@Suite struct RestoredMachineTests {
    typealias Machine = PipelineExecutionStateMachine

    @Test func aRestoredFailedExecutionRetriesOnlyItsFailedStepAndContinuesAfterIt() throws {
        let definition = try Fixture.definition(steps: [
            Fixture.processing("A"), Fixture.processing("B"), Fixture.processing("C", dependsOn: ["A", "B"]),
        ])
        var machine = Machine(definition: definition, maxParallelExecutionSteps: nil, ended: .failed, failureReason: Machine.stepFailureReason,
                              steps: [.init(name: "A", status: .succeeded, properties: ["Run": 1], startIndex: 0, attemptCount: 1),
                                      .init(name: "B", status: .failed, failureReason: "boom", startIndex: 1, attemptCount: 1)])
        #expect(machine.retried() == [.startSteps(["B"])])
        #expect(machine.step("B")?.attemptCount == 2)
        #expect(machine.step("B")?.startIndex == 2)
        #expect(machine.stepProperties["A"] == ["Run": 1])
        #expect(machine.stepSucceeded("B", properties: [:]) == [.startSteps(["C"])])
        #expect(machine.stepSucceeded("C", properties: [:]) == [.finishExecution(.succeeded, failureReason: nil)])
        #expect(machine.stepsNewestFirst.map(\.name) == ["C", "B", "A"])
    }

    @Test func aRestoredSucceededExecutionIsNotRetried() throws {
        var machine = Machine(definition: try Fixture.definition(steps: [Fixture.processing("A")]), maxParallelExecutionSteps: nil,
                              ended: .succeeded, failureReason: nil,
                              steps: [.init(name: "A", status: .succeeded, properties: [:], startIndex: 0, attemptCount: 1)])
        #expect(machine.retried() == [])
        #expect(machine.started() == [])
    }
}
