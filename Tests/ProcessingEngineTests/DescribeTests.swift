import Foundation
import JobStore
import ProcessingEngine
import SageMakerAPI
import Testing

@Suite("Describe answers from the stored job")
struct DescribeTests {
    /// Describe must not answer from anything it remembers about a job of the same name (or, in
    /// another root in the same process, of the same id).
    @Test func aJobCreatedAgainUnderADeletedNameIsDescribedWithItsNewRequest() throws {
        let fixture = try EngineFixture()
        let name = DescribeProcessingJobRequest(processingJobName: "again")
        try fixture.run(fixture.request("again", script: "echo first"))
        #expect(try fixture.service.describeProcessingJob(name).appSpecification?.containerEntrypoint?.last == "echo first")
        try fixture.service.deleteProcessingJob(DeleteProcessingJobRequest(processingJobName: "again"))

        var request = fixture.request("again", script: "echo second")
        request.environment = ["WHICH": "second"]
        try fixture.run(request)
        let description = try fixture.service.describeProcessingJob(name)
        #expect(description.appSpecification?.containerEntrypoint?.last == "echo second")
        #expect(description.environment == ["WHICH": "second"])
        #expect(description.processingJobStatus == "Completed")
    }

    /// Two roots in one process (as in these tests) both have a job with id 1.
    @Test func jobsWithTheSameIdInTwoRootsAreEachDescribedWithTheirOwnRequest() throws {
        let one = try EngineFixture(), other = try EngineFixture()
        _ = try one.service.createProcessingJob(one.request("first-of-one", script: "echo one"))
        _ = try other.service.createProcessingJob(other.request("first-of-other", script: "echo other"))
        let describedOne = try one.service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: "first-of-one"))
        let describedOther = try other.service.describeProcessingJob(DescribeProcessingJobRequest(processingJobName: "first-of-other"))
        #expect(describedOne.appSpecification?.containerEntrypoint?.last == "echo one")
        #expect(describedOther.appSpecification?.containerEntrypoint?.last == "echo other")
        #expect(describedOther.processingJobStatus == "InProgress")
    }
}
