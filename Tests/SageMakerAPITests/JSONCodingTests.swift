import Foundation
import Testing
import SageMakerAPI

/// The JSON 1.1 wire form: PascalCase members, epoch-second timestamps, nulls left out.
@Suite struct JSONCodingTests {
    @Test func requestRoundTripUsesWireNames() throws {
        let request = Fixtures.validCreateRequest()
        let data = try SageMakerJSON.encodeResponse(request)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""ProcessingResources":{"ClusterConfig":{"InstanceCount":2,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":30}}"#))
        #expect(text.contains(#""S3Uri":"s3://bucket/raw/""#))  // slashes not escaped
        #expect(!text.contains("null"))
        #expect(!text.contains("DatasetDefinition"))
        #expect(try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: data) == request)
    }

    @Test func timestampsAreEpochSecondsWithMilliseconds() throws {
        let response = DescribeProcessingJobResponse(
            processingJobName: "job", processingJobArn: SageMakerArn.processingJob("job").description,
            processingJobStatus: ProcessingJobStatus.completed.rawValue,
            processingStartTime: Date(timeIntervalSince1970: 1_704_067_200),
            creationTime: Date(timeIntervalSince1970: 1_704_067_200.1234))
        let text = String(decoding: try SageMakerJSON.encodeResponse(response), as: UTF8.self)
        #expect(text == #"{"CreationTime":1704067200.123,"ProcessingJobArn":"arn:aws:sagemaker:us-east-1:"#
            + #"000000000000:processing-job/job","ProcessingJobName":"job","ProcessingJobStatus":"Completed","#
            + #""ProcessingStartTime":1704067200}"#)
    }

    @Test func requestTimestampsAcceptIntegersAndDecimals() throws {
        let body = Data(#"{"CreationTimeAfter": 1704067200, "CreationTimeBefore": 1.735442939457E9}"#.utf8)
        let request = try SageMakerJSON.decodeRequest(ListProcessingJobsRequest.self, from: body)
        #expect(request.creationTimeAfter == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(abs(request.creationTimeBefore!.timeIntervalSince1970 - 1_735_442_939.457) < 0.0005)
    }

    @Test func unknownMembersIgnoredAndEmptyBodyIsEmptyObject() throws {
        let body = Data(#"{"ProcessingJobName": "a", "SomethingNew": {"x": [1]}}"#.utf8)
        #expect(try SageMakerJSON.decodeRequest(DescribeProcessingJobRequest.self, from: body)
            == DescribeProcessingJobRequest(processingJobName: "a"))
        #expect(try SageMakerJSON.decodeRequest(ListProcessingJobsRequest.self, from: Data()) == ListProcessingJobsRequest())
        #expect(try SageMakerJSON.decodeRequest(ListProcessingJobsRequest.self, from: Data(#"{"MaxResults": null}"#.utf8))
            == ListProcessingJobsRequest())
    }

    /// A pipeline's evaluated arguments with a parameter's number or boolean in string members: they become
    /// text there, and only there (an integer member keeps its number; unknown members are left alone).
    @Test func scalarsAsTextFillsStringMembersOnly() throws {
        let request = try JSONValue(parsing: Data(#"""
            {"TrainingJobName": "t", "HyperParameters": {"max_depth": 5, "eta": 0.2, "verbose": true, "objective": "binary:logistic"},
             "ResourceConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30},
             "Environment": {"SEED": 7}, "SomethingNew": 3}
            """#.utf8))
        let text = SageMakerJSON.scalarsAsText(request, for: CreateTrainingJobRequest.self) { value in
            if case .bool(let flag) = value { return flag ? "true" : "false" }
            return value.canonicalText
        }
        #expect(text["HyperParameters"] == ["max_depth": "5", "eta": "0.2", "verbose": "true", "objective": "binary:logistic"])
        #expect(text["ResourceConfig"] == request["ResourceConfig"])
        #expect(text["Environment"] == ["SEED": "7"])
        #expect(text["SomethingNew"] == 3)
        let decoded = try SageMakerJSON.decodeRequest(CreateTrainingJobRequest.self, from: Data(text.canonicalText.utf8))
        #expect(decoded.hyperParameters?["max_depth"] == "5")
        #expect(decoded.resourceConfig?.instanceCount == 1)
    }

    @Test func wrongMemberTypeIsSerializationException() {
        expectSerialization(#"{"ProcessingResources": {"ClusterConfig": {"InstanceCount": "two"}}}"#,
            "Cannot deserialize member 'processingResources.clusterConfig.instanceCount': expected an integer, "
            + "but the request has the string \"two\".")
        expectSerialization(#"{"ProcessingResources": {"ClusterConfig": {"InstanceCount": 1.5}}}"#,
            "Cannot deserialize member 'processingResources.clusterConfig.instanceCount': expected an integer, "
            + "but the request has the number 1.5.")
        expectSerialization(#"{"ProcessingInputs": [{"InputName": "a"}, {"S3Input": {"S3InputMode": 7}}]}"#,
            "Cannot deserialize member 'processingInputs.2.member.s3Input.s3InputMode': expected a string, "
            + "but the request has the number 7.")
        expectSerialization(#"{"Environment": {"A": "x", "B": false}}"#,
            "Cannot deserialize member 'environment.B': expected a string, but the request has the boolean false.")
        expectSerialization(#"{"AppSpecification": {"ContainerArguments": [null]}}"#,
            "Cannot deserialize member 'appSpecification.containerArguments.1.member': expected a string, "
            + "but the request has null.")
        expectSerialization(#"{"ProcessingInputs": {"InputName": "a"}}"#,
            "Cannot deserialize member 'processingInputs': expected a list, but the request has an object.")
    }

    @Test func bodyThatIsNotAnObjectOrNotJSON() {
        expectSerialization("[1, 2]", "The request body must be a JSON object, but it is a list.")
        expectSerialization(#"{"ProcessingJobName": "#, "The request body is not valid JSON.")
    }

    @Test func errorBodyIsAWSJSON() throws {
        let error = AWSServiceError.resourceInUse("taken")
        let body = try JSONSerialization.jsonObject(with: error.jsonBody) as? [String: String]
        #expect(body == ["__type": "ResourceInUse", "message": "taken", "Message": "taken"])
        #expect(error.httpStatus == 400)
        #expect(AWSServiceError.internalFailure("x").httpStatus == 500)
    }

    private func expectSerialization(_ json: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: AWSServiceError.serialization(message), sourceLocation: sourceLocation) {
            _ = try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: Data(json.utf8))
        }
    }

    /// Foundation's JSON scanner stops at 512 levels (and JSONValue's recursion stays within them), so a
    /// nesting bomb is a SerializationException, not a stack overflow; the bound lives in the library.
    @Test func aNestingBombIsASerializationError() {
        for bomb in [String(repeating: "[", count: 50_000), String(repeating: "{\"a\":", count: 50_000) + "1"
                                                          + String(repeating: "}", count: 50_000)] {
            #expect(throws: AWSServiceError.serialization("The request body is not valid JSON.")) {
                try SageMakerJSON.decodeRequest(CreateProcessingJobRequest.self, from: Data(bomb.utf8))
            }
        }
    }
}
