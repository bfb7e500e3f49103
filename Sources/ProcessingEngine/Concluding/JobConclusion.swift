import Foundation
import JobStore
import SageMakerAPI

/// Carries out the end of a job once its instances have ended: reads what they left (the exit message,
/// a training job's failure file), asks `JobLifecycle` how the job ends, and uploads what it says
/// (EndOfJob outputs, or a training job's model and output data; Continuous outputs were uploaded by
/// `JobStreams`, final sweep included).
struct JobConclusion {
    let root: SageboxRoot
    let settings: RunnerSettings

    func conclude(_ job: PreparedJob, exits: [InstanceExit], stop: StopCause?, memoryKilled: [Bool], volumeFull: [Bool],
                  streamFailure: String?) throws -> JobLifecycle.Outcome {
        let kind = job.record.kind
        var facts = JobLifecycle.InstancesEnded(kind: kind, hosts: job.hosts, exits: exits, stop: stop, memoryKilled: memoryKilled,
                                                volumeFull: volumeFull, volumeFullReason: FailureReason.volumeFull(job.volumeSizing),
                                                streamFailure: streamFailure)
        switch kind {
        case .processing: facts.exitMessage = ExitMessage.read(hosts: job.hosts, folders: job.instances)
        case .training: facts.failureFile = ExitMessage.failureFile(folders: job.instances)
        }
        let conclusion = JobLifecycle.instancesEnded(facts, uploadOnFailure: settings.uploadOnFailure)
        var outcome = conclusion.outcome
        if kind == .training { outcome.finalMetrics = try TrainingMetrics.stored(for: job, jobs: root.jobs) }
        // Its own step on the timeline, so the upload can be timed apart from the exit-message check.
        try root.jobs.apply(JobLifecycle.uploading(kind), to: job.jobId)
        settings.report(.uploading)
        var published = 0
        defer { settings.report(.uploaded(objects: published)) }
        do {
            switch conclusion.upload {
            case .nothing: break
            case let .processingOutputs(endOfJob):
                let uploader = OutputUploader(s3: root.s3, instanceLimitBytes: job.volumeSizing.bytes)
                let report = try uploader.upload(job.definition.outputs, modes: endOfJob ? ["EndOfJob"] : [], from: job.instances)
                for (folder, entry) in report.passedOver { try root.jobs.note(jobId: job.jobId, at: now(), "Not uploaded from \(folder): \(entry)") }
                try root.jobs.note(jobId: job.jobId, at: now(), "Uploaded \(report.published) object(s)")
                published = report.published
            case .trainingArtifacts:
                let uploaded = try TrainingArtifacts(s3: root.s3, limitBytes: job.volumeSizing.bytes, scratch: root.temporaryURL)
                    .upload(from: job.instances[0], to: job.definition.modelOutputPrefix)
                for note in uploaded { try root.jobs.note(jobId: job.jobId, at: now(), note) }
                published = uploaded.filter { $0.hasPrefix("Uploaded") }.count
            }
        } catch let failure as StagingFailure {
            try root.jobs.note(jobId: job.jobId, at: now(), "Upload failed: \(failure.reason)")
            outcome = JobLifecycle.uploadFailed(outcome, reason: failure.reason)
        }
        return outcome
    }
}
