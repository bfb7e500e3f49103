// swift-tools-version:6.1
// sagebox: a local, offline emulator of Amazon SageMaker (processing and training jobs, the fake S3).
// Dependencies point one way: ProcessIdentity ← SageMakerAPI ← JobStore (its stored enums are the API's), FakeS3 ← ProcessingEngine ← SageboxServer ← sagebox; PipelineEngine (pure: no I/O) ← SageMakerAPI (for JSONValue).
import PackageDescription

let package = Package(
    name: "sagebox",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sagebox", targets: ["sagebox"]),
        .executable(name: "sagebox-launcher", targets: ["sagebox-launcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // traits: [] skips swift-configuration, which sagebox does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/CoreOffice/XMLCoder", exact: "0.18.2"),
        // Hummingbird's own dependencies, named because the server imports them directly.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // libarchive (tar, gzip), found through pkg-config.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // Request and response shapes of the SageMaker Processing API, generated from botocore's
        // service model, and the validation that produces AWS's ValidationException texts.
        .target(name: "SageMakerAPI"),
        // A process told apart from a later one with the same pid: who owns a job, who writes a temporary file.
        .target(name: "ProcessIdentity"),
        // The directory-backed fake S3: buckets are folders, metadata lives in SQLite.
        .target(
            name: "FakeS3",
            dependencies: [
                "ProcessIdentity",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Processing jobs, their status transitions and their log events, in SQLite.
        .target(
            name: "JobStore",
            dependencies: ["ProcessIdentity", "SageMakerAPI", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Staging, launching, uploading and the status state machine. Never sees HTTP.
        .target(
            name: "ProcessingEngine",
            dependencies: [
                "SageMakerAPI", "FakeS3", "JobStore", "ProcessIdentity", "CArchive", "PipelineEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The pipeline executor's pure core: definition, parameters, expressions, conditions, the DAG and
        // the execution state machine. Foundation only, no I/O: the engine feeds it events and runs its actions.
        .target(name: "PipelineEngine", dependencies: ["SageMakerAPI"], exclude: ["README.md"]),
        // The HTTP front door: SageMaker (JSON 1.1), S3 (REST/XML), STS, IAM and CloudWatch Logs on one port.
        .target(
            name: "SageboxServer",
            dependencies: [
                "ProcessingEngine", "SageMakerAPI", "FakeS3", "JobStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The C launcher that isolates the job process (namespaces, mounts) and execs it.
        .executableTarget(name: "sagebox-launcher", path: "sandbox"),
        // The `sagebox` command.
        .executableTarget(
            name: "sagebox",
            dependencies: [
                "ProcessingEngine", "PipelineEngine", "SageMakerAPI", "FakeS3", "JobStore", "ProcessIdentity", "SageboxServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SageMakerAPITests", dependencies: ["SageMakerAPI"]),
        .testTarget(name: "FakeS3Tests", dependencies: ["FakeS3", "ProcessIdentity"]),
        .testTarget(name: "JobStoreTests", dependencies: ["JobStore", "ProcessIdentity", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ProcessingEngineTests", dependencies: ["ProcessingEngine", "SageMakerAPI", "FakeS3", "JobStore", "ProcessIdentity"]),
        .testTarget(name: "PipelineEngineTests", dependencies: ["PipelineEngine", "SageMakerAPI"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SandboxLauncherTests", dependencies: ["sagebox-launcher"]),
        .testTarget(name: "SageboxServerTests", dependencies: ["SageboxServer", "ProcessingEngine", "JobStore"]),
        .testTarget(name: "SageboxCommandTests", dependencies: []),
    ],
    swiftLanguageModes: [.v6]
)
