import Foundation
import Testing
@testable import PipelineEngine

/// StartPipelineExecution's parameters merged over the defaults and cast (spec "Executor behaviours" 2).
@Suite struct PipelineParametersTests {
    let declared = [
        PipelineParameter(name: "InputData", type: .string, defaultValue: "s3://lab/raw"),
        PipelineParameter(name: "MaxDepth", type: .integer, defaultValue: 5),
        PipelineParameter(name: "Eta", type: .float, defaultValue: 0.2),
        PipelineParameter(name: "Register", type: .boolean, defaultValue: false),
    ]

    func given(_ pairs: [(String, String)]) -> [PipelineParameters.Given] {
        pairs.map { PipelineParameters.Given(name: $0.0, value: $0.1) }
    }

    @Test func defaultsApplyWhenNothingIsGiven() throws {
        let values = try PipelineParameters.resolve(declared: declared, given: [])
        #expect(values == ["InputData": "s3://lab/raw", "MaxDepth": 5, "Eta": 0.2, "Register": false])
    }

    @Test func givenValuesAreCastToTheDeclaredTypes() throws {
        let values = try PipelineParameters.resolve(
            declared: declared, given: given([("MaxDepth", "7"), ("Eta", "1"), ("Register", "True"), ("InputData", " s3://x ")])
        )
        #expect(values["MaxDepth"] == .integer(7))
        #expect(values["Eta"] == .number(1.0))
        // The SDK sends Python's str(True).
        #expect(values["Register"] == .bool(true))
        // A String keeps its spaces.
        #expect(values["InputData"] == .string(" s3://x "))
    }

    @Test(arguments: [
        ([("Depth", "3")], "Unknown parameter 'Depth': the pipeline declares only InputData, MaxDepth, Eta, Register."),
        ([("MaxDepth", "6.0")], "Value '6.0' of parameter 'MaxDepth' is not an Integer (for example 5)."),
        ([("MaxDepth", "five")], "Value 'five' of parameter 'MaxDepth' is not an Integer (for example 5)."),
        ([("Eta", "fast")], "Value 'fast' of parameter 'Eta' is not a Float (for example 0.5)."),
        ([("Eta", "nan")], "Value 'nan' of parameter 'Eta' is not a Float (for example 0.5)."),
        ([("Register", "yes")], "Value 'yes' of parameter 'Register' is not a Boolean (true or false)."),
        ([("InputData", "")], "[string \"\" is too short (length: 0, required minimum: 1)]"),
        ([("Eta", "0.1"), ("Eta", "0.3")], "Parameter 'Eta' is given more than once."),
    ])
    func badValuesAreRefused(pairs: [(String, String)], message: String) {
        #expect(errorMessage { _ = try PipelineParameters.resolve(declared: declared, given: given(pairs)) } == message)
    }

    @Test func aParameterWithoutDefaultMustBeGiven() throws {
        let withoutDefault = declared + [PipelineParameter(name: "Bucket", type: .string, defaultValue: nil)]
        #expect(errorMessage { _ = try PipelineParameters.resolve(declared: withoutDefault, given: []) }
            == "Parameter 'Bucket' is undefined: it has no DefaultValue in the pipeline definition, so StartPipelineExecution must give it a value.")
        let values = try PipelineParameters.resolve(declared: withoutDefault, given: given([("Bucket", "lab")]))
        #expect(values["Bucket"] == "lab")
    }

    @Test func aDefinitionParameterWithoutDefaultParses() throws {
        let definition = try PipelineDefinition(parsing: #"{"Parameters": [{"Name": "Bucket", "Type": "String"}], "Steps": []}"#)
        #expect(definition.parameters == [PipelineParameter(name: "Bucket", type: .string, defaultValue: nil)])
        // A Float default written as an integer is a Float.
        let floats = try PipelineDefinition(parsing: #"{"Parameters": [{"Name": "T", "Type": "Float", "DefaultValue": 1}], "Steps": []}"#)
        #expect(floats.parameters.first?.defaultValue == .number(1))
    }
}
