import FakeS3
import Foundation
import SageMakerAPI

/// What flows while a job runs: Pipe-mode inputs fed into their FIFOs, and Continuous outputs uploaded
/// as their files close. Started just before the instances, finished once they have all ended (the
/// Continuous uploaders then make their final sweep, whatever the job's status).
final class JobStreams {
    private var pipes: [PipeFeeder] = []
    private var uploaders: [ContinuousUploader] = []
    /// What `finish()` found to say on the timeline: the outputs' entries that were not uploaded.
    private(set) var notes: [String] = []

    func add(_ feeder: PipeFeeder) { pipes.append(feeder) }

    /// Watches every Continuous output of `outputs` in `folder`; a file over `maxFileBytes` is refused.
    func watchContinuousOutputs(_ outputs: [ProcessingOutput], in folder: InstanceFolder, s3: S3Store, maxFileBytes: UInt64) {
        for output in outputs where output.appManaged != true && output.s3Output?.s3UploadMode == ProcessingS3UploadMode.continuous.rawValue {
            guard let s3Output = output.s3Output, let localPath = s3Output.localPath, let uri = S3URI(s3Output.s3Uri ?? "") else { continue }
            uploaders.append(ContinuousUploader(folder: folder.containedPath(forContainerPath: localPath), destination: uri, s3: s3, maxFileBytes: maxFileBytes))
        }
    }

    func start() throws(StagingFailure) {
        for feeder in pipes {
            do { try feeder.start() } catch { throw StagingFailure(reason: error.failureReason) }
        }
        for uploader in uploaders {
            do { try uploader.start() } catch {
                throw StagingFailure(reason: FailureReason.internalError("could not watch a Continuous output: \(error)"))
            }
        }
    }

    /// Stops the feeders and makes the uploaders' final sweep; returns the first failure, if any.
    func finish() -> String? {
        var failures: [String] = []
        for feeder in pipes {
            if let error = feeder.stop().error { failures.append(error.failureReason) }
        }
        for uploader in uploaders {
            let report = uploader.finish()
            failures += report.errors.map(\.failureReason)
            notes += report.passedOver.map { "Not uploaded from \(uploader.folder.relative): \($0)" }
        }
        return failures.first
    }
}
