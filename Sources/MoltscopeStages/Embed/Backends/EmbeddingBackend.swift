import MoltscopeCore

/// A model server that turns texts into vectors.
public protocol EmbeddingBackend: Sendable {
    /// One vector per text, in input order, as the server returned them (not normalized).
    /// Throws `EmbeddingError` after retries, or `CancellationError` when the task is cancelled.
    func embed(_ texts: [String]) async throws -> [[Float]]
    /// e.g. "OpenAI-compatible http://127.0.0.1:8123/v1/embeddings (model multilingual-e5-small-q4)"; no token.
    var summary: String { get }
}

/// Why an embeddings request failed for good (after retries), with the endpoint it was for.
public struct EmbeddingError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nobody answered: connection refused, host not found.
        case unreachable
        /// The server took longer than the timeout.
        case timeout
        /// The connection dropped, or the body was cut short.
        case connectionLost
        /// The server answered an HTTP error (4xx other than 408/429 at once; others after retries).
        case httpStatus(Int)
        /// JSON of the wrong shape: bad syntax, wrong count, missing fields, non-numeric or
        /// non-finite values, vectors of different lengths.
        case malformed
        /// Vectors of another length than the caller expects (another model than before).
        case wrongDimension(expected: Int, got: Int)
        /// The answer was not JSON (an HTML page, say).
        case notJSON
    }

    public var kind: Kind
    /// The endpoint, without credentials.
    public var url: String
    /// The server's own message, curl's, or the parser's; never the token.
    public var detail: String
    /// Requests made, the failed ones included.
    public var attempts: Int
    /// "OpenAI-compatible", "Ollama": which protocol was spoken, for the remedy.
    public var backend: String

    public init(kind: Kind, url: String, detail: String, attempts: Int, backend: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
        self.attempts = attempts
        self.backend = backend
    }

    public var description: String {
        let tried = attempts > 1 ? " after \(attempts) attempts" : ""
        let detail = detail.isEmpty ? "" : ": \(detail)"
        switch kind {
        case .unreachable: return "POST \(url) failed\(tried)\(detail)"
        case .timeout: return "POST \(url) timed out\(tried)\(detail)"
        case .connectionLost: return "POST \(url) lost the connection\(tried)\(detail)"
        case .httpStatus(let code): return "POST \(url) answered HTTP \(code)\(tried)\(detail)"
        case .malformed: return "POST \(url) answered an unusable embeddings response\(tried)\(detail)"
        case .wrongDimension(let expected, let got):
            return "POST \(url) answered \(got)-dimensional vectors where \(expected) were expected\(tried)"
        case .notJSON: return "POST \(url) answered \(self.detail.isEmpty ? "something" : self.detail), not JSON\(tried)"
        }
    }

    /// The one-line error a user sees when this stops the embed stage; remedies name the
    /// `[embed]` settings to change.
    public var userError: MoltscopeError {
        let endpoint = backend == "Ollama"
            ? "the full endpoint, e.g. http://127.0.0.1:11434/api/embed"
            : "the full endpoint, e.g. http://127.0.0.1:8080/v1/embeddings"
        switch kind {
        case .unreachable, .connectionLost:
            return MoltscopeError(.network, description,
                                  remedy: "start the model server and check embed.url, or unset embed.url to let moltscope start one")
        case .timeout:
            return MoltscopeError(.network, description,
                                  remedy: "the server is slower than embed.timeout_seconds: raise it or lower embed.batch_size")
        case .httpStatus(401), .httpStatus(403):
            return MoltscopeError(.network, description,
                                  remedy: "check the API key in the variable named by embed.token_env")
        case .httpStatus(404) where backend == "Ollama" && detail.lowercased().contains("model"):
            return MoltscopeError(.config, description,
                                  remedy: "pull the model first (ollama pull <model>) or fix embed.model")
        case .httpStatus(404), .httpStatus(405):
            return MoltscopeError(.config, description, remedy: "check embed.url and embed.api: it must be \(endpoint)")
        case .httpStatus(413):
            return MoltscopeError(.config, description, remedy: "lower embed.batch_size")
        case .httpStatus(let code) where code >= 400 && code < 500 && code != 408 && code != 429:
            return MoltscopeError(.config, description, remedy: "check embed.model and the server's options")
        case .httpStatus:
            return MoltscopeError(.server, description,
                                  remedy: "check the model server's log, then run again: embedded texts are kept")
        case .malformed:
            return MoltscopeError(.server, description,
                                  remedy: "check embed.url and embed.api: it must be \(endpoint) of a \(backend) server")
        case .wrongDimension:
            return MoltscopeError(.config, description,
                                  remedy: "the server runs another model than the stored vectors came from: fix embed.url or embed.model")
        case .notJSON:
            return MoltscopeError(.config, description, remedy: "check embed.url: it must be \(endpoint)")
        }
    }
}
