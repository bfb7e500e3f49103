import Foundation
import GRDB

extension S3Store {
    /// CreateBucket. Throws InvalidBucketName or BucketAlreadyOwnedByYou.
    @discardableResult
    public func createBucket(_ name: String) throws -> S3Bucket {
        try BucketNameRules.validate(name)
        let folder = layout(of: name).bucketFolder
        return try reportingFileErrors(resource: "/\(name)") {
            try writeTransaction { db in
                if try BucketRow.fetch(db, name: name) != nil { throw S3Error.bucketAlreadyOwnedByYou(name) }
                let created = EpochMilliseconds.now()
                try BucketRow.insert(db, name: name, creationDateMilliseconds: created)
                try PosixFiles.makeDirectory(folder.path)
                return S3Bucket(name: name, creationDate: EpochMilliseconds.date(created))
            }
        }
    }

    /// DeleteBucket. Throws NoSuchBucket, or BucketNotEmpty while any object remains. The folder is
    /// removed when nothing but sagebox's own empty folders is left in it; files a person put there
    /// by hand are never deleted.
    public func deleteBucket(_ name: String) throws {
        try BucketNameRules.validate(name)
        let folder = layout(of: name).bucketFolder.path
        try writeTransaction { db in
            guard try BucketRow.fetch(db, name: name) != nil else { throw S3Error.noSuchBucket(name) }
            if try ObjectRow.hasAny(db, bucket: name) { throw S3Error.bucketNotEmpty(name) }
            try BucketRow.delete(db, name: name)
            PosixFiles.removeDirectoryIfEmpty(folder + "/" + ObjectLayout.sideArea)
            PosixFiles.removeDirectoryIfEmpty(folder + "/.sagebox")
            PosixFiles.removeDirectoryIfEmpty(folder)
        }
    }

    /// HeadBucket: the bucket, or NoSuchBucket.
    public func headBucket(_ name: String) throws -> S3Bucket {
        try BucketNameRules.validate(name)
        guard let bucket = try database.read({ try BucketRow.fetch($0, name: name) }) else {
            throw S3Error.noSuchBucket(name)
        }
        return bucket
    }

    /// Whether the bucket exists (an invalid name throws InvalidBucketName).
    public func bucketExists(_ name: String) throws -> Bool {
        try BucketNameRules.validate(name)
        return try database.read { try BucketRow.fetch($0, name: name) } != nil
    }

    /// ListBuckets, sorted by name.
    public func listBuckets() throws -> [S3Bucket] {
        try database.read(BucketRow.fetchAll)
    }

    /// Throws NoSuchBucket unless the bucket exists.
    func requireBucket(_ db: Database, _ name: String) throws {
        guard try BucketRow.fetch(db, name: name) != nil else { throw S3Error.noSuchBucket(name) }
    }
}
