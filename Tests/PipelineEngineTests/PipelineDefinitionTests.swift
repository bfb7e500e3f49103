import Foundation
import Testing
@testable import PipelineEngine

/// Parsing a definition (spec §2) and building its DAG (spec "Executor behaviours" 3).
@Suite struct PipelineDefinitionTests {
    @Test func appendixADefinitionParses() throws {
        let definition = try Fixture.churnPipeline()
        #expect(definition.version == "2020-12-01")
        #expect(definition.parameters.map(\.name) == [
            "InputData", "ProcessingInstanceType", "ProcessingInstanceCount", "TrainingInstanceType", "MaxDepth", "Eta",
            "AccuracyThreshold", "ModelApprovalStatus",
        ])
        #expect(definition.parameters[2] == PipelineParameter(name: "ProcessingInstanceCount", type: .integer, defaultValue: 1))
        #expect(definition.parameters[5] == PipelineParameter(name: "Eta", type: .float, defaultValue: 0.2))
        #expect(definition.experimentConfig?.trialName == ["Get": "Execution.PipelineExecutionId"])
        #expect(definition.steps.map(\.name) == ["ChurnProcess", "ChurnTrain", "ChurnEval", "ChurnAccuracyCheck"])
        #expect(definition.allSteps.map(\.name) == [
            "ChurnProcess", "ChurnTrain", "ChurnEval", "ChurnAccuracyCheck", "ChurnCreateModel-CreateModel",
            "ChurnRegisterModel-RegisterModel", "ChurnAccuracyTooLow",
        ])
        #expect(definition.allSteps.map(\.type) == [.processing, .training, .processing, .condition, .model, .registerModel, .fail])
        let process = try #require(definition.step(named: "ChurnProcess"))
        #expect(process.cacheConfig?.enabled == true)
        #expect(process.cacheConfig?.expireAfter == ExpireAfter(parsing: "PT1H"))
        let eval = try #require(definition.step(named: "ChurnEval"))
        #expect(eval.cacheConfig == nil)
        #expect(eval.propertyFiles.map(\.propertyFileName) == ["EvaluationReport"])
        #expect(eval.propertyFiles.first?.outputName == "evaluation")
        #expect(eval.propertyFiles.first?.filePath == "evaluation.json")
        let check = try #require(definition.step(named: "ChurnAccuracyCheck")?.conditionBranches)
        #expect(check.conditions.count == 1)
        #expect(check.ifSteps.map(\.name) == ["ChurnCreateModel-CreateModel", "ChurnRegisterModel-RegisterModel"])
        #expect(check.elseSteps.map(\.name) == ["ChurnAccuracyTooLow"])
        let fail = try #require(definition.step(named: "ChurnAccuracyTooLow"))
        #expect(fail.errorMessage?["Std:Join"]?["On"] == " ")
        #expect(fail.branchOf == BranchPosition(conditionStep: "ChurnAccuracyCheck", branch: .false))
    }

    @Test func appendixADependencies() throws {
        let graph = try Fixture.churnPipeline().graph
        #expect(graph.dependencies["ChurnProcess"] == [])
        #expect(graph.dependencies["ChurnTrain"] == ["ChurnProcess"])
        #expect(graph.dependencies["ChurnEval"] == ["ChurnTrain", "ChurnProcess"])
        // The JsonGet on the property file makes the condition wait for the evaluation step.
        #expect(graph.dependencies["ChurnAccuracyCheck"] == ["ChurnEval"])
        #expect(graph.dependencies["ChurnCreateModel-CreateModel"] == ["ChurnAccuracyCheck", "ChurnTrain"])
        #expect(graph.dependencies["ChurnRegisterModel-RegisterModel"] == ["ChurnAccuracyCheck", "ChurnTrain"])
        #expect(graph.dependencies["ChurnAccuracyTooLow"] == ["ChurnAccuracyCheck"])
        #expect(graph.downstream(of: "ChurnEval") == [
            "ChurnAccuracyCheck", "ChurnCreateModel-CreateModel", "ChurnRegisterModel-RegisterModel", "ChurnAccuracyTooLow",
        ])
    }

    @Test func dependsOnAddsAnEdge() throws {
        let definition = try Fixture.definition(steps: [Fixture.processing("A"), Fixture.processing("B", dependsOn: ["A"])])
        #expect(definition.graph.dependencies["B"] == ["A"])
    }

    @Test func unknownMembersAreIgnoredAndUnknownStepTypesKept() throws {
        let definition = try PipelineDefinition(parsing: """
            {"Version": "2020-12-01", "Future": {"x": 1}, "Parameters": [],
             "Steps": [{"Name": "T", "Type": "Transform", "Arguments": {}, "SomethingNew": true, "Description": "d"}]}
            """)
        #expect(definition.steps.first?.type == .other("Transform"))
        #expect(definition.steps.first?.description == "d")
    }

    @Test(arguments: [
        ("not json", "The pipeline definition is not valid JSON at character 0: unexpected character 'n'."),
        (#"{"Steps": [1,]}"#, "The pipeline definition is not valid JSON at character 13: unexpected character ']'."),
        ("[]", "The pipeline definition must be a JSON object, not a list."),
        (#"{"Version": "2020-12-01"}"#, "The pipeline definition has no Steps."),
        (#"{"Steps": {}}"#, "Steps must be a list, not an object."),
        (#"{"Steps": [{"Type": "Processing"}]}"#, "Steps[0] has no Name."),
        (#"{"Steps": [{"Name": "A"}]}"#, "Step 'A' has no Type."),
        (#"{"Steps": [{"Name": "A b", "Type": "Processing"}]}"#, "Step 'A b': the Name must be 1 to 64 letters, digits, '-' or '_'."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing"}, {"Name": "A", "Type": "Training"}]}"#,
         "The pipeline definition has more than one step named 'A'; step names must be unique."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "DependsOn": ["B"]}]}"#,
         "Step 'A': DependsOn names 'B', which is not a step of this pipeline."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "DependsOn": ["A"]}]}"#, "Step 'A' depends on itself."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "Arguments": {"X": {"Get": "Parameters.Missing"}}}]}"#,
         "Step 'A': Get 'Parameters.Missing' names a parameter that the pipeline does not declare."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "Arguments": {"X": {"Get": "Steps.B.Y"}}}]}"#,
         "Step 'A': Get 'Steps.B…' names a step that is not in this pipeline."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "Arguments": {"X": {"Get": "Execution.Nope"}}}]}"#,
         "Step 'A': 'Execution.Nope' names no execution variable; they are StartDateTime, CurrentDateTime, PipelineName, PipelineArn, PipelineExecutionId, PipelineExecutionArn, TrainingJobName, ProcessingJobName."),
        (#"{"Steps": [{"Name": "A", "Type": "Processing", "CacheConfig": {"Enabled": true, "ExpireAfter": "1 hour"}}]}"#,
         "Step 'A': CacheConfig.ExpireAfter '1 hour' is not an ISO 8601 duration (for example PT1H, P30D, 30d, T16m)."),
        (#"{"Parameters": [{"Name": "N", "Type": "Integer", "DefaultValue": "5"}], "Steps": []}"#,
         "Parameter 'N': DefaultValue is a string, which is not an Integer (for example 5)."),
        (#"{"Parameters": [{"Name": "N", "Type": "Number"}], "Steps": []}"#,
         "Parameter 'N': Type 'Number' is not one of String, Integer, Float, Boolean."),
        (#"{"Steps": [{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": [{"Type": "Like", "LeftValue": 1, "RightValue": 2}]}}]}"#,
         "Step 'C': Arguments.Conditions[0]: Type 'Like' is not one of Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or."),
        (#"{"Steps": [{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": [{"Type": "Equals", "LeftValue": 1}]}}]}"#,
         "Step 'C': Arguments.Conditions[0]: the Equals condition needs a LeftValue and a RightValue."),
        (#"{"Steps": [{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": [], "IfSteps": [{"Name": "D", "Type": "Fail", "DependsOn": ["E"]}]}}]}"#,
         "Step 'D': DependsOn names 'E', which is not a step of this pipeline."),
    ])
    func definitionErrorsSayWhatIsWrong(text: String, message: String) {
        #expect(errorMessage { _ = try PipelineDefinition(parsing: text) } == message)
    }

    @Test func cycleIsNamed() {
        let message = errorMessage {
            _ = try Fixture.definition(steps: [
                Fixture.processing("A", arguments: ["X": ["Get": "Steps.C.ProcessingJobArn"]]),
                Fixture.processing("B", dependsOn: ["A"]),
                Fixture.processing("C", dependsOn: ["B"]),
            ])
        }
        #expect(message == "The steps depend on each other in a cycle: A → B → C → A.")
    }

    @Test func propertyFileMustNameAnOutputOfItsStep() {
        let message = errorMessage {
            _ = try PipelineDefinition([
                "Steps": [
                    [
                        "Name": "Eval", "Type": "Processing",
                        "Arguments": ["ProcessingOutputConfig": ["Outputs": [["OutputName": "metrics"]]]],
                        "PropertyFiles": [["PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "evaluation.json"]],
                    ]
                ]
            ])
        }
        #expect(message == "Step 'Eval': property file 'Report' names OutputName 'evaluation', which is not an output of this step; its outputs are metrics.")
    }

    @Test func propertyFileReferenceMustNameADeclaredFile() {
        let message = errorMessage {
            _ = try Fixture.definition(steps: [
                Fixture.processing("Eval"),
                ["Name": "C", "Type": "Condition", "Arguments": ["Conditions": [[
                    "Type": "Equals", "RightValue": 1,
                    "LeftValue": ["Std:JsonGet": ["PropertyFile": ["Get": "Steps.Eval.PropertyFiles.Report"], "Path": "a"]],
                ]]]],
            ])
        }
        #expect(message == "Step 'C': Get 'Steps.Eval.PropertyFiles.Report' names no property file of step 'Eval'.")
    }
}
