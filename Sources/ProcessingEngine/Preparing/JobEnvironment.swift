import Foundation

/// The environment a job's process starts with. Nothing leaks in from the user's own environment (their
/// AWS credentials least of all): a container starts from its image's variables too.
enum JobEnvironment {
    static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    static let region = "us-east-1"

    static func make(image: ImageEntry, imageUri: String, request: [String: String], endpoint: String?,
                     accessKey: AccessKey = .unchecked) -> [String: String] {
        var environment: [String: String] = [
            "PATH": (image.path + [systemPath]).joined(separator: ":"),
            // As a container's root user has it: /root is the job's own, writable, empty folder.
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            // The server's key (`serve --credentials`), or dummy ones it accepts, so that boto3 in a job
            // signs its requests to sagebox instead of failing.
            "AWS_ACCESS_KEY_ID": accessKey.id,
            "AWS_SECRET_ACCESS_KEY": accessKey.secret,
        ]
        if let endpoint { environment["AWS_ENDPOINT_URL"] = endpoint }
        environment.merge(image.environment(for: imageUri)) { $1 }
        environment.merge(request) { $1 }
        return environment
    }
}
