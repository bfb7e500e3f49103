import Foundation
import SageMakerAPI
import Testing
@testable import PipelineEngine

/// Reading JSON text with integers kept apart from other numbers.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    @Test func numbersKeepHowTheyWereWritten() throws {
        #expect(try parse("[1, 1.0, -2, 2.5e1, 1E2, 0, -0.5, 10000000000000000000000]")
            == [.integer(1), .number(1.0), .integer(-2), .number(25), .number(100), .integer(0), .number(-0.5), .number(1e22)])
        // So a Join renders a Float 1.0 the way Python wrote it.
        #expect(ExpressionEvaluator.text(of: try parse("1.0")) == "1.0")
        #expect(ExpressionEvaluator.text(of: try parse("1")) == "1")
    }

    @Test func stringsAndEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é""#) == .string("a\"b\\c/d\n\té😀 é"))
        #expect(try parse(#"{"a": {"b": [true, false, null]}, "a2": "x"}"#) == ["a": ["b": [true, false, .null]], "a2": "x"])
        #expect(try parse(" [ ] ") == [])
        #expect(try parse("{}") == [:])
    }

    @Test(arguments: [
        ("", "not valid JSON at character 0: unexpected end of the text"),
        ("[1 2]", "not valid JSON at character 3: expected ',' or ']' in a list"),
        (#"{"a" 1}"#, "not valid JSON at character 5: expected ':' after member name \"a\""),
        (#"{a: 1}"#, "not valid JSON at character 1: expected a member name in quotes"),
        (#""abc"#, "not valid JSON at character 4: a string is not closed"),
        ("01.", "not valid JSON at character 3: a number needs digits after '.'"),
        ("1 2", "not valid JSON at character 2: unexpected text after the JSON value"),
        (#""\x""#, "not valid JSON at character 3: '\\x' is not a JSON escape"),
        ("NaN", "not valid JSON at character 0: unexpected character 'N'"),
    ])
    func syntaxErrorsSayWhere(text: String, message: String) {
        #expect(errorMessage { _ = try parse(text) } == message)
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(errorMessage { _ = try parse(deep) } == "not valid JSON at character 512: nesting deeper than 512 levels")
    }

    @Test func documentsMayHoldPythonsNonFiniteNumbers() throws {
        let document = try JSONValue(parsingDocument: Data(#"{"a": NaN, "b": Infinity, "c": -Infinity, "d": 0.86}"#.utf8))
        #expect(document["a"]?.numericValue?.isNaN == true)
        #expect(document["b"] == .number(.infinity))
        #expect(document["c"] == .number(-.infinity))
        #expect(document["d"] == 0.86)
    }

    @Test func aFloatParameterDefaultOfOnePointZeroStaysAFloat() throws {
        let definition = try PipelineDefinition(parsing: #"{"Parameters": [{"Name": "T", "Type": "Float", "DefaultValue": 1.0}, {"Name": "N", "Type": "Integer", "DefaultValue": 5.0}], "Steps": []}"#)
        #expect(definition.parameters.map(\.defaultValue) == [.number(1.0), .integer(5)])
    }

    @Test func canonicalTextSortsKeysAndReadsBack() throws {
        let value: JSONValue = ["b": [1, 1.0, 0.2, "q\"\\\n\u{01}é"], "a": [:], "c": .null, "d": true]
        #expect(value.canonicalText == #"{"a":{},"b":[1,1.0,0.2,"q\"\\\n\u0001é"],"c":null,"d":true}"#)
        #expect(try parse(value.canonicalText) == value)
        #expect(JSONValue.array([.number(.nan), .number(-.infinity)]).canonicalText == "[NaN,-Infinity]")
    }
}
