import Foundation

/// One HTTP request, as the pipeline's clients (Moltbook API, embedding servers) make them.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Whole-transfer timeout, seconds.
    public var timeout: Double

    public init(method: Method = .get, url: String, headers: [(name: String, value: String)] = [],
                body: Data? = nil, timeout: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; the last value wins when a header repeats.
    public var headers: [String: String]
    public var body: Data
    public var url: String

    public init(status: Int, headers: [String: String], body: Data, url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    public var contentType: String? { headers["content-type"] }
}

/// A failure below HTTP: no answer at all (refused, reset, timeout, truncated body, DNS).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case connectionRefused, timeout, truncated, connectionLost, resolve, cancelled, other
    }

    public var reason: Reason
    public var url: String
    public var message: String

    public init(reason: Reason, url: String, message: String) {
        self.reason = reason
        self.url = url
        self.message = message
    }

    public var description: String { "\(message) (\(url))" }

    /// Worth trying again: every reason but cancellation.
    public var isRetryable: Bool { reason != .cancelled }
}

/// The HTTP client seam: libcurl in production, anything in tests.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
