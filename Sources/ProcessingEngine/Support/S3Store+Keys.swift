import FakeS3
import Foundation

extension S3Store {
    /// Every key under `prefix`, in S3's order.
    public func allKeys(bucket: String, prefix: String) throws -> [String] {
        var keys: [String] = []
        try forEachObject(bucket: bucket, prefix: prefix) { keys.append($0.key) }
        return keys
    }

    /// The bytes of a small object (a manifest), read whole: one version, the one its row names.
    func objectData(bucket: String, key: String) throws -> Data {
        let object = try openObject(bucket: bucket, key: key)
        return try withExtendedLifetime(object) {
            try FileHandle(fileDescriptor: object.descriptor, closeOnDealloc: false).readToEnd() ?? Data()
        }
    }

    func objectExists(bucket: String, key: String) throws -> Bool {
        do {
            _ = try headObject(bucket: bucket, key: key)
            return true
        } catch let error as S3Error where error.code == "NoSuchKey" {
            return false
        }
    }
}
