import FakeS3
import Foundation
import Hummingbird

/// ListObjects (v1), ListObjectsV2 and ListObjectVersions.
extension S3Handler {
    func listObjects(_ address: S3Address, _ query: QueryString) throws -> Response {
        let parameters = try ListParameters(query, resource: address.resource)
        let marker = query["marker"] ?? ""
        let page = try store.listObjects(bucket: address.bucket, prefix: parameters.prefix, delimiter: parameters.delimiter,
                                         startAfter: marker.isEmpty ? nil : marker, maxKeys: parameters.maxKeys)
        let encode = parameters.encoder
        let result = ListBucketResult(
            Name: address.bucket, Prefix: encode(parameters.prefix), Marker: encode(marker), MaxKeys: parameters.maxKeys,
            Delimiter: parameters.delimiter.map(encode), EncodingType: parameters.encodingType,
            IsTruncated: page.isTruncated, NextMarker: page.nextMarker.map(encode),
            Contents: Self.contents(page, encode), CommonPrefixes: Self.prefixes(page, encode))
        return try document(result, root: "ListBucketResult")
    }

    func listObjectsV2(_ address: S3Address, _ query: QueryString) throws -> Response {
        let parameters = try ListParameters(query, resource: address.resource)
        let token = query["continuation-token"]
        var startAfter = query["start-after"]
        // An empty token is no token, as S3 treats it (the listing starts at the beginning or at start-after).
        if let token, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let marker = String(data: data, encoding: .utf8), !marker.isEmpty else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect", resource: address.resource)
            }
            startAfter = marker
        }
        let page = try store.listObjects(bucket: address.bucket, prefix: parameters.prefix, delimiter: parameters.delimiter,
                                         startAfter: startAfter.flatMap { $0.isEmpty ? nil : $0 }, maxKeys: parameters.maxKeys)
        let encode = parameters.encoder
        let result = ListBucketV2Result(
            Name: address.bucket, Prefix: encode(parameters.prefix), MaxKeys: parameters.maxKeys, KeyCount: page.keyCount,
            Delimiter: parameters.delimiter.map(encode), EncodingType: parameters.encodingType,
            IsTruncated: page.isTruncated, ContinuationToken: token,
            NextContinuationToken: page.nextMarker.map { Data($0.utf8).base64EncodedString() },
            StartAfter: query["start-after"].map(encode),
            Contents: Self.contents(page, encode), CommonPrefixes: Self.prefixes(page, encode))
        return try document(result, root: "ListBucketResult")
    }

    /// ListObjectVersions over an unversioned bucket: one `null` version per object.
    func listObjectVersions(_ address: S3Address, _ query: QueryString) throws -> Response {
        let parameters = try ListParameters(query, resource: address.resource)
        let marker = query["key-marker"] ?? ""
        let page = try store.listObjects(bucket: address.bucket, prefix: parameters.prefix, delimiter: parameters.delimiter,
                                         startAfter: marker.isEmpty ? nil : marker, maxKeys: parameters.maxKeys)
        let encode = parameters.encoder
        let versions = page.objects.map {
            ListVersionsResult.ObjectVersion(Key: encode($0.key), VersionId: "null", IsLatest: true,
                                             LastModified: Timestamps.iso8601($0.lastModified), ETag: $0.quotedETag,
                                             Size: $0.size, StorageClass: "STANDARD", Owner: Self.owner)
        }
        let result = ListVersionsResult(
            Name: address.bucket, Prefix: encode(parameters.prefix), KeyMarker: encode(marker),
            VersionIdMarker: query["version-id-marker"] ?? "", MaxKeys: parameters.maxKeys,
            Delimiter: parameters.delimiter.map(encode), EncodingType: parameters.encodingType, IsTruncated: page.isTruncated,
            NextKeyMarker: page.nextMarker.map(encode), NextVersionIdMarker: page.isTruncated ? "null" : nil,
            Version: versions.isEmpty ? nil : versions, CommonPrefixes: Self.prefixes(page, encode))
        return try document(result, root: "ListVersionsResult")
    }

    private static func contents(_ page: S3ObjectListing, _ encode: (String) -> String) -> [ListedObject]? {
        page.objects.isEmpty ? nil : page.objects.map { ListedObject($0, key: encode($0.key)) }
    }

    private static func prefixes(_ page: S3ObjectListing, _ encode: (String) -> String) -> [CommonPrefix]? {
        page.commonPrefixes.isEmpty ? nil : page.commonPrefixes.map { CommonPrefix(Prefix: encode($0)) }
    }
}
