import Foundation
import Testing
@testable import SageMakerAPI

/// The model constraints, reported in AWS's exact ValidationException wording.
@Suite struct ModelValidationTests {
    @Test func validFullRequestPasses() throws {
        try Fixtures.validCreateRequest().validate()
    }

    @Test func badNameGivesAWSMessage() {
        var request = Fixtures.validCreateRequest()
        request.processingJobName = "bad_name"
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value 'bad_name' at "
            + "'processingJobName' failed to satisfy constraint: Member must satisfy regular expression "
            + "pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
    }

    @Test func patternMustMatchWholeValue() {
        var request = Fixtures.validCreateRequest()
        request.processingJobName = "ok-prefix_then_bad"  // the prefix alone would match
        #expect(Fixtures.validationMessage(request)?.contains("Value 'ok-prefix_then_bad'") == true)
    }

    @Test func instanceCountAboveMaximum() {
        var request = Fixtures.validCreateRequest()
        request.processingResources?.clusterConfig?.instanceCount = 101
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value '101' at "
            + "'processingResources.clusterConfig.instanceCount' failed to satisfy constraint: "
            + "Member must have value less than or equal to 100")
    }

    @Test func volumeSizeBelowMinimum() {
        var request = Fixtures.validCreateRequest()
        request.processingResources?.clusterConfig?.volumeSizeInGB = 0
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value '0' at "
            + "'processingResources.clusterConfig.volumeSizeInGB' failed to satisfy constraint: "
            + "Member must have value greater than or equal to 1")
    }

    @Test func badEnumInListElement() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs?[0].s3Input?.s3InputMode = "FastFile"
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value 'FastFile' at "
            + "'processingInputs.1.member.s3Input.s3InputMode' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [Pipe, File]")
    }

    @Test func missingRequiredMember() {
        var request = Fixtures.validCreateRequest()
        request.appSpecification?.imageUri = nil
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value null at "
            + "'appSpecification.imageUri' failed to satisfy constraint: Member must not be null")
    }

    @Test func missingRequiredListMemberInOptionalStructure() {
        var request = Fixtures.validCreateRequest()
        request.processingOutputConfig = ProcessingOutputConfig(kmsKeyId: "key")
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value null at "
            + "'processingOutputConfig.outputs' failed to satisfy constraint: Member must not be null")
    }

    @Test func twoErrorsArePluralAndSeparated() {
        var request = Fixtures.validCreateRequest()
        request.processingJobName = String(repeating: "a", count: 63) + "_"
        request.roleArn = nil
        let name = request.processingJobName!
        #expect(Fixtures.validationMessage(request) == "3 validation errors detected: "
            + "Value '\(name)' at 'processingJobName' failed to satisfy constraint: Member must have length "
            + "less than or equal to 63; Value '\(name)' at 'processingJobName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; "
            + "Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
        var two = Fixtures.validCreateRequest()
        two.processingJobName = "bad_name"
        two.processingResources?.clusterConfig?.instanceType = "ml.nope"
        let message = Fixtures.validationMessage(two) ?? ""
        #expect(message.hasPrefix("2 validation errors detected: Value 'bad_name' at 'processingJobName'"))
        #expect(message.contains("; Value 'ml.nope' at 'processingResources.clusterConfig.instanceType' "
            + "failed to satisfy constraint: Member must satisfy enum value set: [ml.t3.medium, ml.t3.large, "))
    }

    @Test func listSizeAndElementPaths() {
        var request = Fixtures.validCreateRequest()
        request.appSpecification?.containerArguments = ["ok", String(repeating: "x", count: 257)]
        request.appSpecification?.containerEntrypoint = []
        let long = String(repeating: "x", count: 257)
        #expect(Fixtures.validationMessage(request) == "2 validation errors detected: "
            + "Value '[]' at 'appSpecification.containerEntrypoint' failed to satisfy constraint: "
            + "Member must have length greater than or equal to 1; "
            + "Value '\(long)' at 'appSpecification.containerArguments.2.member' failed to satisfy constraint: "
            + "Member must have length less than or equal to 256")
    }

    @Test func listOfStructuresPrintsElementsAsJSON() {
        var request = Fixtures.validCreateRequest()
        request.processingInputs = (0...10).map { index in
            ProcessingInput(inputName: "i\(index)", s3Input: ProcessingS3Input(
                s3Uri: "s3://b/\(index)", localPath: "/opt/ml/processing/\(index)", s3DataType: "S3Prefix"))
        }
        let message = Fixtures.validationMessage(request) ?? ""
        #expect(message.hasPrefix(#"1 validation error detected: Value '[{"InputName":"i0","S3Input":{"#
            + #""LocalPath":"/opt/ml/processing/0","S3DataType":"S3Prefix","S3Uri":"s3://b/0"}}, {"InputName":"i1""#))
        #expect(message.hasSuffix(#"}}]' at 'processingInputs' failed to satisfy constraint: "#
            + "Member must have length less than or equal to 10"))
    }

    @Test func mapKeysAndValues() {
        var request = Fixtures.validCreateRequest()
        request.environment = ["1BAD": "v", "GOOD": String(repeating: "v", count: 257)]
        let long = String(repeating: "v", count: 257)
        #expect(Fixtures.validationMessage(request) == "2 validation errors detected: "
            + "Value '{1BAD=v, GOOD=\(long)}' at 'environment' failed to satisfy constraint: Map keys must "
            + "satisfy constraint: [Member must satisfy regular expression pattern: ^[a-zA-Z_][a-zA-Z0-9_]*]; "
            + "Value '{1BAD=v, GOOD=\(long)}' at 'environment' failed to satisfy constraint: Map value must "
            + "satisfy constraint: [Member must have length less than or equal to 256]")
    }

    @Test func tagPatternUsesUnicodeClasses() throws {
        var request = Fixtures.validCreateRequest()
        request.tags = [Tag(key: "ключ", value: "値 1"), Tag(key: "bad#key", value: "v")]
        #expect(Fixtures.validationMessage(request) == "1 validation error detected: Value 'bad#key' at "
            + "'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression "
            + #"pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"#)
    }

    @Test func lengthCountsUTF16UnitsLikeJava() {
        // U+1D400 is a letter outside the BMP: 2 UTF-16 units (Java chars) but 1 Swift Character.
        var request = Fixtures.validCreateRequest()
        request.tags = [Tag(key: String(repeating: "\u{1D400}", count: 64), value: "")]
        #expect(Fixtures.validationMessage(request) == nil)
        request.tags = [Tag(key: String(repeating: "\u{1D400}", count: 65), value: "")]
        #expect(Fixtures.validationMessage(request)?.hasSuffix("at 'tags.1.member.key' failed to satisfy "
            + "constraint: Member must have length less than or equal to 128") == true)
    }

    @Test func everyModelPatternCompiles() {
        #expect(ShapeRules.allPatterns.count > 10)
        for pattern in ShapeRules.allPatterns {
            #expect(PatternCache.shared.expression(for: pattern) != nil, "ICU rejects \(pattern)")
        }
    }

    @Test func otherRequestsValidateTheirModel() {
        #expect(throws: AWSServiceError.validation("1 validation error detected: Value null at "
            + "'processingJobName' failed to satisfy constraint: Member must not be null")) {
            try DescribeProcessingJobRequest().validate()
        }
        #expect(throws: AWSServiceError.self) { try ListProcessingJobsRequest(maxResults: 0).validate() }
        #expect(throws: AWSServiceError.self) { try ListProcessingJobsRequest(statusEquals: "Running").validate() }
        #expect(throws: AWSServiceError.self) { try AddTagsInput(resourceArn: "nope", tags: []).validate() }
        #expect(throws: Never.self) { try ListProcessingJobsRequest(nameContains: "any_thing.at all").validate() }
    }
}
