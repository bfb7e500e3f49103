import Testing
import SageMakerAPI

@Suite struct ProcessingJobArnTests {
    @Test func formatsWithDefaults() {
        #expect(ProcessingJobArn(jobName: "my-job").description
            == "arn:aws:sagemaker:us-east-1:000000000000:processing-job/my-job")
        #expect(ProcessingJobArn(jobName: "j", region: "eu-west-1", accountID: "123456789012").description
            == "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/j")
    }

    @Test func parsesAndMatchesModelPattern() throws {
        let arn = ProcessingJobArn(parsing: "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/abc-1")
        #expect(arn == ProcessingJobArn(jobName: "abc-1", region: "eu-west-1", accountID: "123456789012"))
        #expect(ProcessingJobArn(parsing: "arn:aws:sagemaker:us-east-1:000000000000:training-job/abc") == nil)
        #expect(ProcessingJobArn(parsing: "arn:aws:sagemaker:us-east-1:000000000000:processing-job/") == nil)
        // The response shape's own pattern accepts what the helper produces.
        try CreateProcessingJobResponse(processingJobArn: ProcessingJobArn(jobName: "a-1").description).validateModel()
    }
}
