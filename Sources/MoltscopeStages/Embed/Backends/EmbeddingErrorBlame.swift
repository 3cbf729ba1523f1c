extension EmbeddingError {
    /// Whether the server is at fault rather than the request: it is unreachable, timed out, cut
    /// the connection, or answered 5xx, 408 or 429 after the backend's own retries. Another
    /// server may embed the same batch. Everything else (a 400 about the input, a wrong count or
    /// dimension, an HTML page, a bad key) would fail on any server of the pool, so it is the
    /// user's to see.
    var isServerFailure: Bool {
        switch kind {
        case .unreachable, .timeout, .connectionLost:
            return true
        case .httpStatus(let code):
            return code >= 500 || code == 408 || code == 429
        case .malformed, .wrongDimension, .notJSON:
            return false
        }
    }
}
