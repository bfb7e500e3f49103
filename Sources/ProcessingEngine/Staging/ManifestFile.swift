import FakeS3
import Foundation

/// A ManifestFile input: a JSON array whose first element is `{"prefix": "s3://bucket/p/"}` and whose
/// other elements are keys relative to that prefix; each lands where an S3Prefix input puts its key.
enum ManifestFile {
    static func objects(at uri: S3URI, s3: S3Store) throws(StagingFailure) -> [InputObject] {
        func failure(_ text: String) -> StagingFailure {
            StagingFailure(reason: FailureReason.clientError("Failed to read the manifest file \(uri): \(text)"))
        }
        let data: Data
        do {
            data = try s3.objectData(bucket: uri.bucket, key: uri.key)
        } catch {
            throw failure("\(error)")
        }
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [Any], !array.isEmpty else {
            throw failure("it is not a JSON array")
        }
        guard let head = array[0] as? [String: Any], let prefixText = head["prefix"] as? String,
              let prefix = S3URI(prefixText) else {
            throw failure("its first element must be {\"prefix\": \"s3://bucket/prefix/\"}")
        }
        var objects: [InputObject] = []
        for (index, element) in array.dropFirst().enumerated() {
            guard let relative = element as? String, !relative.isEmpty else {
                throw failure("element \(index + 2) is not a non-empty string")
            }
            let key = prefix.appending(relative).key
            guard (try? s3.objectExists(bucket: prefix.bucket, key: key)) == true else {
                throw failure("it names \(prefix.appending(relative)), which does not exist")
            }
            objects.append(InputObject(bucket: prefix.bucket, key: key,
                                       relativePath: InputObjects.localPath(ofKey: key, prefix: prefix.key)))
        }
        return objects
    }
}
