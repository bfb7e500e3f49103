import Testing
import SageMakerAPI

@Suite struct SageMakerArnTests {
    @Test func formatsWithDefaults() {
        #expect(SageMakerArn.processingJob("my-job").description
            == "arn:aws:sagemaker:us-east-1:000000000000:processing-job/my-job")
        #expect(SageMakerArn("processing-job", "j", region: "eu-west-1", accountID: "123456789012").description
            == "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/j")
    }

    @Test func parsesAndMatchesModelPattern() throws {
        let arn = SageMakerArn(parsing: "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/abc-1", resourceType: "processing-job")
        #expect(arn == SageMakerArn("processing-job", "abc-1", region: "eu-west-1", accountID: "123456789012"))
        #expect(SageMakerArn(parsing: "arn:aws:sagemaker:us-east-1:000000000000:training-job/abc", resourceType: "processing-job") == nil)
        #expect(SageMakerArn(parsing: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/", resourceType: "processing-job") == nil)
        // The response shape's own pattern accepts what the helper produces.
        try CreateProcessingJobResponse(processingJobArn: SageMakerArn.processingJob("a-1").description).validateModel()
    }
}
