import Testing
import SageMakerAPI

/// What an error body may echo of a request: bounded, and free of characters XML cannot carry.
struct EchoedTextTests {
    @Test func shortPrintableTextIsKept() {
        #expect(EchoedText.safe("/lab/a b/é\tc\n") == "/lab/a b/é\tc\n")
    }

    @Test func controlCharactersArePercentWritten() {
        #expect(EchoedText.safe("a\u{0}b\u{1}c\u{7F}d\u{1B}") == "a%00b%01c%7Fd%1B")
    }

    @Test func longTextIsCut() {
        let cut = EchoedText.safe(String(repeating: "n", count: 1024 * 1024))
        #expect(cut.count == EchoedText.maximumLength + 3)
        #expect(EchoedText.safe(String(repeating: "é", count: 5000), limit: 10) == String(repeating: "é", count: 10) + "...")
        #expect(cut.hasSuffix("..."))
        #expect(EchoedText.safe(String(repeating: "k", count: EchoedText.maximumLength)).count == EchoedText.maximumLength)
    }

    @Test func jsonErrorBodiesAreBounded() {
        let error = AWSServiceError.validation(String(repeating: "a", count: 1024 * 1024))
        #expect(error.jsonBody.count < 3 * EchoedText.maximumMessageLength)
    }

    @Test func aValidationMessageCutsEachValueAndKeepsEveryConstraint() {
        let huge = String(repeating: "a", count: 1024 * 1024)
        let failures = [
            ValidationFailure(value: huge, path: ValidationPath.root.member("processingJobName"), constraint: "first"),
            ValidationFailure(value: huge, path: ValidationPath.root.member("roleArn"), constraint: "second"),
        ]
        let text = failures.map(\.description).joined(separator: "; ")
        #expect(text.count < 3 * 4_096)
        #expect(text.contains("failed to satisfy constraint: first") && text.hasSuffix("failed to satisfy constraint: second"))
    }
}
