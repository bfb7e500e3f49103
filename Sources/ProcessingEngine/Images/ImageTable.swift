import Foundation

/// The image table: which local runtime runs each ImageUri. Stored as `<root>/images.json`, which a
/// person can edit; `sagebox images` lists it. The first entry whose glob matches wins.
public struct ImageTable: Codable, Sendable, Equatable {
    public var images: [ImageEntry]

    public init(images: [ImageEntry]) {
        self.images = images
    }

    /// The entry for `imageUri`, or nil when no entry matches.
    public func entry(for imageUri: String) -> ImageEntry? {
        images.first { $0.matches(imageUri) }
    }

    /// The table a new root starts with: every image runs on the host, with the samples' Python
    /// environment first on PATH when there is one, so `python3` finds pandas, scikit-learn and xgboost.
    /// The built-in XGBoost algorithm's images (every region's `sagemaker-xgboost:<version>`, and the
    /// legacy `xgboost:<tag>`) run `runtimes/sagemaker-xgboost` of the checkout beside that environment,
    /// told their version through `{ImageTag}`, with `image-site` on PYTHONPATH: those images have no
    /// `sagemaker_training`, which the host environment has. The SageMaker Spark processing images
    /// (`sagemaker-spark-processing:<version>`) run `runtimes/spark`'s `smspark-submit` over the Spark runtime
    /// `make spark-runtime` installs (`.venv-spark`, or `SAGEBOX_SPARK_ENV`), when it is there.
    public static func makeDefault(pythonEnvironment: URL?,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> ImageTable {
        let path = pythonEnvironment.map { [$0.appending(path: "bin").path] } ?? []
        let mounts = pythonEnvironment.map { [$0.path] } ?? []
        let python = ["PYTHONUNBUFFERED": "TRUE", "PYTHONDONTWRITEBYTECODE": "TRUE"]
        var images: [ImageEntry] = []
        if let xgboost = pythonEnvironment.map({ $0.deletingLastPathComponent().appending(path: "runtimes/sagemaker-xgboost") }),
           FileManager.default.isExecutableFile(atPath: xgboost.appending(path: "bin/train").path) {
            // image-site's stub makes `import sagemaker_training` fail, as in the real image (which has none).
            let environment = python.merging(["SAGEBOX_XGBOOST_IMAGE_VERSION": "{ImageTag}",
                                               "PYTHONPATH": xgboost.appending(path: "image-site").path]) { $1 }
            for match in ["*/sagemaker-xgboost:*", "*/xgboost:*"] {
                images.append(ImageEntry(match: match, path: [xgboost.appending(path: "bin").path] + path, environment: environment,
                                         mounts: mounts + [xgboost.path], metricDefinitions: xgboostMetrics))
            }
        }
        if let spark = pythonEnvironment.flatMap({ sparkEntry(checkout: $0.deletingLastPathComponent(), environment: environment) }) {
            images.append(spark)
        }
        images.append(ImageEntry(match: "*", path: path, environment: python, mounts: mounts))
        return ImageTable(images: images)
    }

    /// `*sagemaker-spark-processing*`: the Spark runtime's venv (pyspark, its two S3A jars) and
    /// `runtimes/spark`, with smspark-submit as ENTRYPOINT as in AWS's image. nil when either is missing.
    static func sparkEntry(checkout: URL, environment: [String: String]) -> ImageEntry? {
        let venv = environment["SAGEBOX_SPARK_ENV"].flatMap { $0.isEmpty ? nil : URL(filePath: $0, directoryHint: .isDirectory) }
            ?? checkout.appending(path: ".venv-spark", directoryHint: .isDirectory)
        let runtime = checkout.appending(path: "runtimes/spark", directoryHint: .isDirectory)
        let manager = FileManager.default
        guard manager.isExecutableFile(atPath: runtime.appending(path: "bin/smspark-submit").path),
              manager.isExecutableFile(atPath: venv.appending(path: "bin/spark-submit").path) else { return nil }
        // PYTHONHASHSEED: Spark's Python workers must agree on string hashes (the image sets it too).
        let variables = ["PYTHONUNBUFFERED": "TRUE", "PYTHONDONTWRITEBYTECODE": "TRUE", "PYTHONHASHSEED": "0",
                         "SAGEBOX_SPARK_RUNTIME": runtime.path]
        return ImageEntry(match: "*sagemaker-spark-processing*",
                          path: [runtime.appending(path: "bin").path, venv.appending(path: "bin").path],
                          environment: variables, mounts: [venv.path, runtime.path], entrypoint: ["smspark-submit"])
    }

    /// The XGBoost algorithm's metrics, as its container declares them (algorithm_mode/metrics.py): each
    /// xgboost evaluation metric and each of the container's own, for the train and validation sets,
    /// read from the EvaluationMonitor lines as CloudWatch shows them (TAB as `#011`).
    static let xgboostMetrics: [ImageEntry.Metric] = {
        let names = ["rmse", "rmsle", "mae", "mape", "mphe", "logloss", "error", "merror", "mlogloss", "auc", "aucpr",
                     "ndcg", "map", "poisson-nloglik", "gamma-nloglik", "cox-nloglik", "gamma-deviance", "tweedie-nloglik",
                     "aft-nloglik", "accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "precision",
                     "precision_macro", "precision_micro", "r2", "recall", "recall_macro", "recall_micro"]
        return ["train", "validation"].flatMap { set in
            names.map { ImageEntry.Metric(name: "\(set):\($0)", regex: ".*\\[[0-9]+\\].*#011\(set)-\($0):([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*") }
        }
    }()

    /// Reads the table at `url`, writing the default table there first when the file does not exist.
    public static func load(from url: URL, pythonEnvironment: URL?) throws -> ImageTable {
        if !FileManager.default.fileExists(atPath: url.path) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(makeDefault(pythonEnvironment: pythonEnvironment)).write(to: url, options: .atomic)
        }
        do {
            return try JSONDecoder().decode(ImageTable.self, from: Data(contentsOf: url))
        } catch {
            throw ImageTableError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// The samples' virtual environment: `SAGEBOX_PYTHON_ENV`, else a `.venv` in a folder above the
    /// running executable (a checkout's `.build/<config>/sagebox` finds the checkout's `.venv`).
    public static func findPythonEnvironment(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let env = environment["SAGEBOX_PYTHON_ENV"], !env.isEmpty { return URL(filePath: env, directoryHint: .isDirectory) }
        var folder = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appending(path: ".venv", directoryHint: .isDirectory)
            if FileManager.default.isExecutableFile(atPath: candidate.appending(path: "bin/python3").path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

public enum ImageTableError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "The image table \(path) cannot be read: \(reason)"
        }
    }
}
