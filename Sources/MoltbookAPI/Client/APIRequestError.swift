import MoltscopeCore

/// Why an API request failed for good (after retries), with the URL it was for.
public struct APIRequestError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server answered an HTTP error (4xx other than 429, or 5xx after all retries).
        case status(Int)
        /// The answer was not JSON (an HTML page, say).
        case notJSON
        /// JSON of the wrong shape.
        case malformed
        /// No usable answer at all (refused, timeout, truncated, dropped), after all retries.
        case transport(TransportError.Reason)
    }

    public var kind: Kind
    public var url: String
    public var detail: String
    public var attempts: Int

    public var description: String {
        let tried = attempts > 1 ? " after \(attempts) attempts" : ""
        switch kind {
        case .status(let code): return "GET \(url) answered HTTP \(code)\(tried): \(detail)"
        case .notJSON: return "GET \(url) answered \(detail), not JSON\(tried)"
        case .malformed: return "GET \(url): unexpected response\(tried): \(detail)"
        case .transport: return "GET \(url) failed\(tried): \(detail)"
        }
    }

    /// The one-line error a user sees when this stops a crawl.
    public var userError: MoltscopeError {
        switch kind {
        case .status(401), .status(403):
            return MoltscopeError(.network, description, remedy: "check the API key in the variable named by crawl.token_env")
        case .transport(.connectionRefused), .transport(.resolve):
            return MoltscopeError(.network, description, remedy: "check crawl.base_url and that the server is running")
        case .notJSON, .status(404):
            return MoltscopeError(.server, description, remedy: "check crawl.base_url (it should end in /api/v1)")
        default:
            return MoltscopeError(.server, description, remedy: "run again later; the crawl resumes where it stopped")
        }
    }
}
