import ProcessingEngine

extension SageboxServer {
    /// Removes the markers completed multipart uploads keep for repeated Completes, once older than an
    /// hour (`MultipartUploadStore.completionMarkerLifetime`). `serve` runs it at start and every few
    /// minutes. Returns how many uploads were removed.
    @discardableResult
    public static func removeExpiredUploadMarkers(of root: SageboxRoot) -> Int {
        MultipartUploadStore(temporaryFolder: root.temporaryURL).removeCompletionMarkers()
    }
}
