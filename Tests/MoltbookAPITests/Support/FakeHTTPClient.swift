import Foundation
import MoltscopeCore

/// An `HTTPClient` that plays a script: each request gets the next step's answer or failure.
/// It records every request, so tests can check URLs, headers and the number of attempts.
actor FakeHTTPClient: HTTPClient {
    enum Step: Sendable {
        case respond(status: Int, headers: [String: String], body: Data)
        case fail(TransportError.Reason)
        /// Never answers (until the request's task is cancelled).
        case hang
    }

    struct Recorded: Sendable {
        var method: String
        var url: String
        var headers: [String: String]
        var timeout: Double
        var at: ContinuousClock.Instant
    }

    private var script: [Step]
    private(set) var requests: [Recorded] = []

    init(_ script: [Step]) { self.script = script }

    var count: Int { requests.count }
    var remaining: Int { script.count }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var headers: [String: String] = [:]
        for header in request.headers { headers[header.name] = header.value }
        requests.append(Recorded(method: request.method.rawValue, url: request.url, headers: headers,
                                 timeout: request.timeout, at: ContinuousClock.now))
        guard !script.isEmpty else {
            throw TransportError(reason: .other, url: request.url, message: "fake client: script exhausted")
        }
        switch script.removeFirst() {
        case .respond(let status, let headers, let body):
            return HTTPResponse(status: status, headers: headers, body: body, url: request.url)
        case .fail(let reason):
            throw TransportError(reason: reason, url: request.url, message: "fake \(reason)")
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            throw TransportError(reason: .timeout, url: request.url, message: "fake hang ended")
        }
    }

    // MARK: Step helpers

    static func json(_ status: Int = 200, _ body: String, headers: [String: String] = [:]) -> Step {
        .respond(status: status, headers: ["content-type": "application/json; charset=utf-8"].merging(headers) { _, new in new },
                 body: Data(body.utf8))
    }

    static func html(_ status: Int, _ body: String = "<!DOCTYPE html><html><body><h1>404</h1></body></html>") -> Step {
        .respond(status: status, headers: ["content-type": "text/html; charset=utf-8"], body: Data(body.utf8))
    }
}
