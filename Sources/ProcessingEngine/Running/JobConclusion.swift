import Foundation
import SageMakerAPI

/// Decides a job's terminal status once its instances have ended, reads its exit message and uploads
/// its EndOfJob outputs (only when it succeeded, or when uploads on failure are turned on; Continuous
/// outputs were uploaded by `JobStreams`, final sweep included).
struct JobConclusion {
    let root: SageboxRoot
    let settings: RunnerSettings

    func conclude(_ job: PreparedJob, exits: [InstanceExit], stop: StopCause?, memoryKilled: [Bool], volumeFull: [Bool],
                  streamFailure: String?) throws -> JobOutcome {
        var outcome = status(exits: exits, stop: stop)
        if outcome.status != "Stopped", let host = memoryKilled.firstIndex(of: true).map({ job.hosts[$0] }) {
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.memoryExceeded, event: "\(host) ran out of memory and was killed")
        } else if case .hostDiskLow = stop {
            // Its instances were killed, and a volume may be full too: the host's disk is the cause to tell.
        } else if outcome.status == "Failed", let index = exits.indices.first(where: { !exits[$0].succeeded && volumeFull[$0] }) {
            outcome = JobOutcome(status: "Failed", failureReason: FailureReason.volumeFull(job.volumeSizing), event: "\(job.hosts[index]) filled its volume")
        }
        if let streamFailure, outcome.status == "Completed" {
            outcome = JobOutcome(status: "Failed", failureReason: streamFailure, event: "An input pipe or a Continuous upload failed")
        }
        switch ExitMessage.read(hosts: job.hosts, folders: job.instances) {
        case .none: break
        case let .message(text): outcome.exitMessage = text
        case let .notUTF8(host):
            if outcome.status != "Stopped" {
                outcome = JobOutcome(status: "Failed", failureReason: FailureReason.clientError("The exit message file /opt/ml/output/message of \(host) is not valid UTF-8."), event: "Exit message is not UTF-8")
            }
        }
        let endOfJob = outcome.status == "Completed" || settings.uploadOnFailure
        // Its own step on the timeline, so the upload can be timed apart from the exit-message check.
        try root.jobs.note(jobId: job.jobId, at: now(), "Uploading outputs")
        do {
            let uploader = OutputUploader(s3: root.s3, instanceLimitBytes: job.volumeSizing.bytes)
            let report = try uploader.upload(job.request.processingOutputConfig?.outputs ?? [], modes: endOfJob ? ["EndOfJob"] : [],
                                             from: job.instances)
            for (folder, entry) in report.passedOver { try root.jobs.note(jobId: job.jobId, at: now(), "Not uploaded from \(folder): \(entry)") }
            try root.jobs.note(jobId: job.jobId, at: now(), "Uploaded \(report.published) object(s)")
        } catch let failure as StagingFailure {
            try root.jobs.note(jobId: job.jobId, at: now(), "Upload failed: \(failure.reason)")
            if outcome.status == "Completed" {
                outcome = JobOutcome(status: "Failed", failureReason: failure.reason, event: "Output upload failed", exitMessage: outcome.exitMessage)
            }
        }
        return outcome
    }

    private func status(exits: [InstanceExit], stop: StopCause?) -> JobOutcome {
        if let stop, stop.endsStopped {
            let event = if case let .maxRuntime(seconds) = stop { "Stopped: MaxRuntimeInSeconds (\(seconds) s) reached" } else { "Stopped" }
            return JobOutcome(status: "Stopped", failureReason: nil, event: event)
        }
        for exit in exits {
            if case let .launchFailed(125, reason) = exit {
                return JobOutcome(status: "Failed", failureReason: FailureReason.internalError("sagebox could not isolate the job: \(reason)"), event: "Sandbox failed")
            }
        }
        // Failed even when the job caught SIGTERM and exited 0: its work was cut short.
        if case let .hostDiskLow(floor) = stop {
            return JobOutcome(status: "Failed", failureReason: FailureReason.hostDiskLow(floorBytes: floor), event: "Failed: the host's disk is nearly full")
        }
        if exits.allSatisfy(\.succeeded) { return JobOutcome(status: "Completed", failureReason: nil, event: "Completed") }
        let event = if case let .instanceFailed(host) = stop { "\(host) failed: the other instances were stopped" } else { "An instance exited non-zero" }
        return JobOutcome(status: "Failed", failureReason: FailureReason.algorithmError, event: event)
    }
}
