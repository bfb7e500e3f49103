import FakeS3

/// The multipart upload errors, in S3's wording.
extension S3Error {
    static func noSuchUpload(_ resource: String) -> S3Error {
        S3Error(code: "NoSuchUpload",
                message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                httpStatus: 404, resource: resource)
    }

    static func invalidPart(_ resource: String) -> S3Error {
        S3Error(code: "InvalidPart",
                message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                httpStatus: 400, resource: resource)
    }

    static func invalidPartOrder(_ resource: String) -> S3Error {
        S3Error(code: "InvalidPartOrder",
                message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
                httpStatus: 400, resource: resource)
    }

    static func entityTooSmall(_ resource: String) -> S3Error {
        S3Error(code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed object size.",
                httpStatus: 400, resource: resource)
    }
}
