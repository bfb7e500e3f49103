import ArgumentParser
import Dispatch
import Foundation
import Logging
import ProcessingEngine
import SageboxServer

/// `sagebox serve`: the SageMaker, S3, STS, IAM and CloudWatch Logs APIs on one port.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the SageMaker Processing, S3, STS, IAM and CloudWatch Logs APIs on one port.",
        discussion: """
            Point any AWS client at it with AWS_ENDPOINT_URL=http://HOST:PORT (and any credentials, or with \
            --credentials FILE a key of that file): boto3, the AWS CLI and the SageMaker SDKs work unchanged. Once listening, the command prints one line \
            `sagebox listening on http://HOST:PORT` on stdout; each request is logged on stderr.

            One owner per job: a job created over HTTP is run by this server (on a thread of its own), and a \
            job created by `sagebox run` is run by that command's own runner process. Both share the root, so \
            the CLI commands (describe, list, logs, stop, s3 ...) keep working while the server runs, and \
            each sees the other's jobs and objects. Jobs started by the server get AWS_ENDPOINT_URL pointing \
            back at it, so boto3 inside a job reaches the same fake S3.

            SIGTERM, Ctrl-C or SIGHUP ends the server: the jobs it runs end Failed (as they would at its next start) \
            once their processes are killed and their volumes unmounted.

            For tests: --ephemeral serves a fresh root in a temporary folder, removed when the server stops; its \
            first line on stdout is `{"endpoint": "http://HOST:PORT"}` (with --port 0, a free port). \
            POST /_sagebox/reset (and moto's POST /moto-api/reset) stops every job and pipeline execution, waits \
            for them, and empties the root: allowed only with --ephemeral or --allow-reset, refused otherwise.

            Without --credentials no signature is checked: keep the default loopback address unless you mean to share it. \
            Requests must name a loopback host (localhost, 127.x.x.x, [::1]), the --host address or a name \
            given with --allow-host, so that a web page reaching the port through DNS rebinding is refused; \
            requests from web pages (with an Origin header) are refused unless --allow-origin lists the page's origin.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reserve: HostReserveOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free port.")
    var port = 9000

    @Flag(help: "Upload EndOfJob outputs of failed jobs too (AWS does not; useful for debugging).")
    var uploadOnFailure = false

    @Option(help: "Seconds between SIGTERM and SIGKILL when a job is stopped.")
    var stopGrace: Double = 120

    @Option(help: ByteCount.diskFloorHelp)
    var diskFloor = ByteCount.defaultDiskFloor

    @Option(name: .customLong("allow-host"), help: ArgumentHelp(
        "A host name clients use to reach the server, besides loopback names and --host (repeatable).",
        valueName: "name"))
    var allowedHosts: [String] = []

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp(
        "A web origin (scheme://host[:port]) whose pages may send requests (repeatable).", valueName: "origin"))
    var allowedOrigins: [String] = []

    @Option(help: "Seconds a connection may send nothing, between requests or inside one, before it is closed.")
    var idleTimeout: Double = 60

    @Option(help: ArgumentHelp(
        "Check AWS Signature Version 4 on every request, with the access keys of this file (the AWS shared-credentials "
            + "format: [profile] sections with aws_access_key_id and aws_secret_access_key). Jobs get the first key.",
        valueName: "file"))
    var credentials: String?

    @Flag(help: "Serve a fresh root in a temporary folder, removed when the server stops (also on SIGTERM, Ctrl-C or SIGHUP); allows the reset.")
    var ephemeral = false

    @Flag(help: "Allow POST /_sagebox/reset (and /moto-api/reset) to stop every job and empty this root.")
    var allowReset = false

    func validate() throws {
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be more than 0 seconds.") }
        if ephemeral, global.root != nil { throw ValidationError("--ephemeral makes a root of its own: it cannot be given with --root.") }
    }

    func run() throws {
        let keys: CredentialsFile?
        do { keys = try credentials.map { try CredentialsFile(contentsOf: URL(filePath: $0)) } } catch {
            throw CommandFailure("sagebox serve: \(error)")
        }
        let ephemeralRoot = ephemeral ? try EphemeralRoot() : nil
        // Runs last, after the jobs' processes are killed and their volumes unmounted.
        defer { ephemeralRoot?.remove() }
        let root = try ephemeralRoot.map { try $0.open() } ?? global.open()
        // What killed processes left half done: objects whose publishing was cut off get their previous
        // version back, and the temporary files of dead writers go (a live CLI's stay).
        let restored = try root.s3.finishInterruptedWrites()
        if restored > 0 { Output.error("\(restored) object(s) cut off while being written got their previous version back") }
        let removed = root.s3.removeAbandonedTemporaryFiles()
        if removed.files > 0 { Output.error("removed \(removed.files) temporary file(s) of dead writers (\(removed.bytes) bytes)") }
        // Completed multipart uploads keep a marker for repeated Completes: swept an hour after, at start
        // and every few minutes.
        SageboxServer.removeExpiredUploadMarkers(of: root)
        let markers = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sagebox.upload-markers"))
        markers.schedule(deadline: .now() + Self.markerSweepInterval, repeating: Self.markerSweepInterval)
        markers.setEventHandler { SageboxServer.removeExpiredUploadMarkers(of: root) }
        markers.resume()
        defer { markers.cancel() }
        // Jobs left InProgress by a server or runner that was killed end Failed, as the spec decides: at
        // start, and every few seconds while serving, as a CLI sharing the root may die at any time.
        let service = JobService(root: root)
        try Self.failInterruptedJobs(service)
        let watch = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sagebox.interrupted-jobs"))
        watch.schedule(deadline: .now() + Self.checkInterval, repeating: Self.checkInterval)
        watch.setEventHandler { try? Self.failInterruptedJobs(service) }
        watch.resume()
        defer { watch.cancel() }
        var settings = RunnerSettings(launcher: RunnerSettings.findLauncher())
        settings.uploadOnFailure = uploadOnFailure
        settings.stopGrace = stopGrace
        settings.diskFloorBytes = diskFloor.bytes
        settings.hostReserve = reserve.reserve
        let server = SageboxServer(root: root, host: host, port: port, settings: settings,
                                   allowedHosts: allowedHosts, allowedOrigins: allowedOrigins,
                                   idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), credentials: keys,
                                   reset: ResetPolicy(allowed: ephemeral || allowReset, timeout: stopGrace + Self.resetMargin))
        if SageboxServer.isExposed(host: host) {
            let who = keys == nil ? "sagebox checks no credentials (see --credentials), so whoever reaches it"
                : "whoever reaches it with a key of \(credentials ?? "")"
            Output.error("""
                warning: listening on \(host), which other machines may reach; \(who) can read and write its buckets \
                and run processes as this user. Requests must name a loopback host, \(host) or a name given with --allow-host.
                """)
        }
        // The root command is synchronous: the server runs in a task while this thread waits for it.
        let finished = DispatchSemaphore(value: 0)
        let failure = ServeFailure()
        Task {
            do {
                try await server.run { url in
                    // A test harness reads this first line; people read the next.
                    if ephemeralRoot != nil { Output.line(#"{"endpoint": "\#(url)"}"#) }
                    Output.line("sagebox listening on \(url)")
                }
            } catch {
                failure.error = error
            }
            finished.signal()
        }
        finished.wait()
        // Hummingbird ends `run` on SIGTERM or SIGINT. The jobs still running end Failed, as they would at
        // the next start, once their processes are killed and their volumes unmounted: nothing stays
        // running or mounted after the server.
        // Its pipeline executions end Failed first, so that no step starts a new job meanwhile.
        for arn in (try? PipelineService(root: root).failExecutionsOfThisProcess()) ?? [] {
            Output.error("\(arn): the server is shutting down; the pipeline execution is now Failed")
        }
        for name in (try? JobService(root: root).failJobsOfThisProcess()) ?? [] {
            Output.error("\(name): the server is shutting down; the job is now Failed")
        }
        if let error = failure.error { throw CommandFailure("sagebox serve: \(error)") }
    }

    /// How long a reset waits for the jobs it stopped beyond their stop grace: outputs are still uploaded.
    static let resetMargin: Double = 60

    /// How often a running server looks for jobs whose owner is gone: one indexed query and a /proc read
    /// per open job.
    static let checkInterval = DispatchTimeInterval.seconds(2)

    /// How often a running server removes completed multipart uploads' expired markers (a folder listing
    /// and a small JSON read per upload).
    static let markerSweepInterval = DispatchTimeInterval.seconds(300)

    private static func failInterruptedJobs(_ service: JobService) throws {
        for name in try service.failInterruptedJobs() {
            Output.error("\(name): its runner is gone; the job is now Failed")
        }
        // Pipeline executions too: one whose runner (a server that was killed) is gone ends Failed.
        for arn in try PipelineService(root: service.root).failInterruptedExecutions() {
            Output.error("\(arn): its runner is gone; the pipeline execution is now Failed")
        }
    }
}
