import Foundation
import JobStore
import SageMakerAPI

/// A job ready to launch: its definition, its hosts with their folders and staged inputs, and the argv
/// and environment every instance runs with.
struct PreparedJob {
    var record: JobRecord
    var definition: JobDefinition
    var hosts: [String]
    var instances: [InstanceFolder]
    var overlays: [[InstanceProcess.Overlay]]
    /// How nested inputs and outputs share the instances' views; the same for every instance.
    var layout: StagingLayout
    var image: ImageEntry
    var argv: [String]
    var environment: [String: String]
    /// Pipe-mode feeders and Continuous uploaders of every instance.
    var streams: JobStreams
    /// The instances' volumes, mounted before staging.
    var volumes: InstanceVolumes
    /// The job's network namespace, made while the job is prepared (`JobNetwork`).
    var network: JobNetwork
    /// The size of each instance's volume: VolumeSizeInGB, clamped to what this machine holds. Also what
    /// each instance may upload (`OutputUploader`).
    var volumeSizing: VolumeSizing

    var jobId: Int64 { record.id! }

    var maxRuntime: Int { definition.maxRuntime }

    /// Resolves the image and stages every instance: volume, folders, config files, inputs, output folders.
    /// When staging fails, the volumes already mounted are removed before the error goes on.
    /// `downloading` is called once the volumes are being made, before the first input is staged.
    static func prepare(_ job: JobRecord, root: SageboxRoot, settings: RunnerSettings,
                        downloading: () throws -> Void) throws -> PreparedJob {
        let volumes = InstanceVolumes(templates: root.temporaryURL.appending(path: "volume-templates", directoryHint: .isDirectory))
        do {
            return try prepare(job, root: root, settings: settings, volumes: volumes, downloading: downloading)
        } catch {
            volumes.removeAll()
            throw error
        }
    }

    private static func prepare(_ job: JobRecord, root: SageboxRoot, settings: RunnerSettings,
                                volumes: InstanceVolumes, downloading: () throws -> Void) throws -> PreparedJob {
        var definition = try JobDefinition.make(job)
        let hosts = (1...definition.instanceCount).map { "algo-\($0)" }
        let folder = JobFolder(url: root.jobsURL.appending(path: job.folder, directoryHint: .isDirectory))
        var instances = hosts.map(folder.instance)

        let table = try ImageTable.load(from: root.imageTableURL, pythonEnvironment: settings.pythonEnvironment)
        let imageUri = definition.imageUri
        guard let image = table.entry(for: imageUri) else {
            throw StagingFailure(reason: FailureReason.clientError("No entry of the image table \(root.imageTableURL.path) matches the image \(imageUri)."))
        }
        let argv = definition.argv(image: image)
        if definition.kind == .training && definition.metricDefinitions.isEmpty {
            definition.metricDefinitions = image.metricDefinitions.map { MetricDefinition(name: $0.name, regex: $0.regex) }
        }
        guard !argv.isEmpty else {
            throw StagingFailure(reason: FailureReason.clientError("The image \(imageUri) has no ENTRYPOINT or CMD in the image table, and the request gives no ContainerEntrypoint."))
        }
        // Made while the volumes are mounted and the inputs staged; stopped here if preparing fails.
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let network = JobNetwork.begin(launcher: settings.launcher, isolated: definition.networkIsolation,
                                       endpoint: settings.endpoint, resolvConf: folder.url.appending(path: "resolv.conf"))
        var prepared = false
        defer { if !prepared { network.stop() } }

        var overlays: [[InstanceProcess.Overlay]] = []
        let outputs = definition.outputs
        let layout = StagingLayout(inputs: definition.inputs, outputs: outputs)
        let streams = JobStreams()
        let requested = definition.volumeSizeInGB
        let disk = HostDisk.of(root.temporaryURL, forFilesOf: InstanceVolume.bytes(gigabytes: requested))  // where the images are made
        let sizing = VolumeSizing(requestedGigabytes: requested, instanceCount: hosts.count, disk: disk, floorBytes: settings.diskFloorBytes)
        if let note = sizing.note { try root.jobs.note(jobId: job.id!, at: now(), note) }
        try downloading()
        settings.report(.staging)
        var stagedObjects = 0
        var stagedBytes: UInt64 = 0
        for index in instances.indices {
            let instance = try volumes.mount(for: instances[index], sizing: sizing) { text in
                try? root.jobs.note(jobId: job.id!, at: now(), text)
            }
            instances[index] = instance
            try instance.create(containerFolders: definition.containerFolders)
            let config = instance.hostURL(forContainerPath: definition.configFolder)
            for (name, data) in definition.configFiles { try data.write(to: config.appending(path: name)) }
            try JobConfigFiles.resourceConfig(host: hosts[index], hosts: hosts, instanceType: definition.instanceType)
                .write(to: config.appending(path: "resourceconfig.json"))
            try Data(HostsFile.contents(hosts: hosts).utf8).write(to: instance.hostsFile)
            // Its own step on the timeline, so staging can be timed apart from the volume's mkfs and mount.
            try root.jobs.note(jobId: job.id!, at: now(), "Staging inputs for \(hosts[index])")
            let staged = try InputStager(s3: root.s3).stage(definition.inputs, layout: layout, hostIndex: index,
                                                            hostCount: hosts.count, folder: instance, streams: streams)
            for note in staged.notes { try root.jobs.note(jobId: job.id!, at: now(), "\(hosts[index]): \(note)") }
            stagedObjects += staged.objects
            if settings.progress != nil { stagedBytes += FolderUsage.allocatedBytes(under: instance.staging) }
            overlays.append(staged.overlays)
            streams.watchContinuousOutputs(outputs, in: instance, s3: root.s3, maxFileBytes: sizing.bytes)
            for output in outputs {
                guard let path = output.s3Output?.localPath else { continue }
                try FileManager.default.createDirectory(at: instance.hostURL(forContainerPath: path), withIntermediateDirectories: true)
            }
        }
        let environment = JobEnvironment.make(image: image, imageUri: imageUri, request: definition.environment, endpoint: settings.endpoint,
                                              accessKey: settings.accessKey)
        prepared = true
        settings.report(.staged(objects: stagedObjects, bytes: stagedBytes))
        return PreparedJob(record: job, definition: definition, hosts: hosts, instances: instances, overlays: overlays,
                           layout: layout, image: image, argv: argv, environment: environment, streams: streams, volumes: volumes,
                           network: network, volumeSizing: sizing)
    }
}
