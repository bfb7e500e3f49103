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
        #expect(cut.hasSuffix("..."))
        #expect(EchoedText.safe(String(repeating: "k", count: EchoedText.maximumLength)).count == EchoedText.maximumLength)
    }

    @Test func jsonErrorBodiesAreBounded() {
        let error = AWSServiceError.validation("Value '\(String(repeating: "a", count: 1024 * 1024))' at 'processingJobName'")
        #expect(error.jsonBody.count < 4 * EchoedText.maximumLength)
    }
}
