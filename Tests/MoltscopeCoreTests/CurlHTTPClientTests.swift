import Foundation
import MoltscopeTestSupport
import Testing
@testable import MoltscopeCore

@Suite struct CurlHTTPClientTests {
    // MARK: Answers

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(.init(status: 200,
                           headers: [("Content-Type", "application/json"),
                                     ("X-Echo", request.headers["x-test"] ?? "-"),
                                     ("X-Path", request.path)],
                           body: Data(#"{"ok":true}"#.utf8)))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 2)
        let url = server.baseURL + "/api/v1/posts?limit=5"

        let response = try await client.send(HTTPRequest(url: url, headers: [("X-Test", "hello")]))

        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        #expect(response.headers["x-echo"] == "hello")
        #expect(response.headers["x-path"] == "/api/v1/posts?limit=5")
        #expect(response.body == Data(#"{"ok":true}"#.utf8))
        #expect(response.url == url)
    }

    @Test func postSendsTheBodyBinarySafely() async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(.init(headers: [("X-Method", request.method),
                                     ("X-Content-Type", request.headers["content-type"] ?? "-"),
                                     ("X-Expect", request.headers["expect"] ?? "none")],
                           body: request.body))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        // Larger than curl's "Expect: 100-continue" threshold, with NUL bytes inside.
        let payload = Data((0..<5000).map { UInt8($0 % 256) })

        let response = try await client.send(HTTPRequest(
            method: .post, url: server.baseURL + "/embed",
            headers: [("Content-Type", "application/octet-stream")], body: payload))

        #expect(response.status == 200)
        #expect(response.headers["x-method"] == "POST")
        #expect(response.headers["x-content-type"] == "application/octet-stream")
        #expect(response.headers["x-expect"] == "none")
        #expect(response.body == payload)
    }

    @Test func postWithoutBodySendsZeroLength() async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(.init(text: "\(request.method) \(request.headers["content-length"] ?? "-")"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let response = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/x"))

        #expect(String(decoding: response.body, as: UTF8.self) == "POST 0")
    }

    @Test func notFoundWithHTMLIsAResponseNotAnError() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(.init(status: 404, contentType: "text/html; charset=utf-8", text: "<html>nope</html>"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/missing"))

        #expect(response.status == 404)
        #expect(response.contentType == "text/html; charset=utf-8")
        #expect(response.body == Data("<html>nope</html>".utf8))
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(.init(status: 301, headers: [("Location", "http://127.0.0.1:1/elsewhere")]))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/api"))

        #expect(response.status == 301)
        #expect(response.headers["location"] == "http://127.0.0.1:1/elsewhere")
        #expect(response.url == server.baseURL + "/api")
    }

    @Test func keepsOnlyTheFinalResponseHeaders() async throws {
        let server = try LoopbackHTTPServer { _ in .respondAfterInterim(.init(text: "done")) }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/x"))

        #expect(response.status == 200)
        #expect(response.headers["x-interim"] == nil)
        #expect(response.contentType == "text/plain")
        #expect(response.body == Data("done".utf8))
    }

    @Test func decodesGzipBodies() async throws {
        let text = String(repeating: "moltbook ", count: 500)
        let server = try LoopbackHTTPServer { request in
            .respond(.init(headers: [("Content-Encoding", "gzip"),
                                     ("X-Accept-Encoding", request.headers["accept-encoding"] ?? "")],
                           body: Gzip.compress(Data(text.utf8))))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/x"))

        #expect(response.headers["x-accept-encoding"]?.contains("gzip") == true)
        #expect(String(decoding: response.body, as: UTF8.self) == text)
    }

    // MARK: Transport failures

    @Test func connectionRefusedNeverShowsTheAuthorizationValue() async throws {
        let (port, release) = try LoopbackHTTPServer.refusingPort()
        defer { release() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        let url = "http://127.0.0.1:\(port)/api/v1/agents/me"

        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: url, headers: [("Authorization", "Bearer sk-secret-token-123")]))
        }

        #expect(error?.reason == .connectionRefused)
        #expect(error?.url == url)
        #expect(error?.message.contains(url) == true)
        #expect(error?.message.lowercased().contains("connect") == true)
        #expect(error?.description.contains("sk-secret-token-123") == false)
    }

    @Test func redactsAuthorizationValuesFromMessages() {
        let request = HTTPRequest(url: "http://x/", headers: [("authorization", "Bearer sk-secret-token-123")])
        let text = CurlHandle.redactingCredentials("failed: Bearer sk-secret-token-123 / sk-secret-token-123",
                                                   of: request)
        #expect(!text.contains("sk-secret-token-123"))
    }

    @Test func slowServerTimesOut() async throws {
        let server = try LoopbackHTTPServer { _ in .respondAfter(seconds: 5, .init(text: "late")) }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        let started = ContinuousClock.now

        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: server.baseURL + "/slow", timeout: 0.3))
        }

        // A timeout error at all proves it: without one, the answer would have come after 5 s.
        #expect(error?.reason == .timeout)
        _ = started
    }

    @Test func bodyShorterThanContentLengthIsTruncated() async throws {
        let server = try LoopbackHTTPServer { _ in .truncate(.init(text: "0123456789"), declaredLength: 100) }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: server.baseURL + "/x"))
        }

        #expect(error?.reason == .truncated)
    }

    @Test func connectionClosedWithoutAnswerIsLost() async throws {
        let server = try LoopbackHTTPServer { _ in .closeWithoutAnswer }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)

        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: server.baseURL + "/x"))
        }

        #expect(error?.reason == .connectionLost)
        #expect(error?.isRetryable == true)
    }

    // MARK: Cancellation

    @Test func cancellingAnInFlightRequestAbortsItPromptly() async throws {
        let received = Counter()
        let server = try LoopbackHTTPServer { _ in
            received.increment()
            return .respondAfter(seconds: 600, .init(text: "late"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow", timeout: 900)) }
        try await eventually { received.value == 1 }

        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result

        // Not the 600 s answer. Generous: the test bundle shares two pool threads, and a test's
        // own resumption can wait tens of seconds for one.
        #expect(ContinuousClock.now - started < .seconds(120))
        #expect((result.failure as? TransportError)?.reason == .cancelled)
    }

    @Test func cancellingAQueuedRequestFinishesItWithoutSending() async throws {
        let received = Counter()
        let server = try LoopbackHTTPServer { request in
            received.increment()
            return request.path == "/fast" ? .respond(.init(text: "ok")) : .respondAfter(seconds: 600, .init(text: "late"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        let busy = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow", timeout: 900)) }
        try await eventually { received.value == 1 }
        let queued = Task { try await client.send(HTTPRequest(url: server.baseURL + "/queued")) }
        try await Task.sleep(for: .milliseconds(100))

        let started = ContinuousClock.now
        queued.cancel()
        let queuedResult = await queued.result
        #expect(ContinuousClock.now - started < .seconds(120))  // not after the 600 s request ahead of it
        #expect((queuedResult.failure as? TransportError)?.reason == .cancelled)

        busy.cancel()
        #expect((await busy.result.failure as? TransportError)?.reason == .cancelled)
        // The only worker is free and healthy again; the queued request never reached the server.
        let after = try await client.send(HTTPRequest(url: server.baseURL + "/fast"))
        #expect(after.status == 200)
        #expect(received.value == 2)
    }

    @Test func alreadyCancelledTaskFailsWithoutSending() async throws {
        let received = Counter()
        let server = try LoopbackHTTPServer { _ in
            received.increment()
            return .respond(.init(text: "ok"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 1)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: server.baseURL + "/x"))
        }

        #expect((await task.result.failure as? TransportError)?.reason == .cancelled)
        #expect(received.value == 0)
    }

    // MARK: Concurrency

    @Test func manyConcurrentRequestsShareFewKeepAliveConnections() async throws {
        let server = try LoopbackHTTPServer { request in
            .respondAfter(seconds: 0.005, .init(text: "answer to \(request.path)"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: 4)

        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let response = try await client.send(HTTPRequest(url: server.baseURL + "/item/\(index)"))
                    #expect(response.status == 200)
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }

        #expect(bodies.count == 50)
        #expect(bodies.allSatisfy { $0.value == "answer to /item/\($0.key)" })
        #expect(server.maxConcurrentRequests <= 4)
        #expect(server.acceptedConnections <= 6)  // 4 workers, each reusing its connection
    }

    /// Waiting requests hold no thread of Swift's cooperative pool (one per core): more requests
    /// than cores are in flight at once. The server answers none until all have arrived, so
    /// blocking waits could never get them all there, however long the test ran (it gives up
    /// after two minutes, answering what it has); no clock decides the outcome.
    @Test func waitingRequestsDoNotHoldThePoolsThreads() async throws {
        let requests = ProcessInfo.processInfo.activeProcessorCount + 4
        let arrivals = Arrivals(expected: requests)
        let server = try LoopbackHTTPServer { _ in
            arrivals.arriveAndWait(upTo: 120)
            return .respond(.init(text: "together"))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(maxConcurrentRequests: requests)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<requests {
                group.addTask { try await client.send(HTTPRequest(url: server.baseURL + "/\(index)", timeout: 600)).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(server.maxConcurrentRequests == requests, "in flight at once: \(server.maxConcurrentRequests) of \(requests)")
        #expect(!arrivals.gaveUp)
    }
}

/// Holds every arriving request (on the server's threads) until `expected` have arrived, or
/// gives up after a while and lets them all through.
private final class Arrivals: @unchecked Sendable {
    private let condition = NSCondition()
    private let expected: Int
    private var arrived = 0
    private var released = false
    private(set) var gaveUp = false

    init(expected: Int) { self.expected = expected }

    func arriveAndWait(upTo seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= expected { released = true; condition.broadcast() }
        let deadline = Date().addingTimeInterval(seconds)
        while !released {
            if !condition.wait(until: deadline) {
                gaveUp = true
                released = true
                condition.broadcast()
            }
        }
    }
}

/// A thread-safe count, bumped from the server's threads and read by the test.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// Polls `condition` for a minute or more (a loaded test bundle stretches the sleeps); a wait, not a bound.
private func eventually(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<6_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 6,000 polls")
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
