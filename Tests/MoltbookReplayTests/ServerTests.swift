import Foundation
import MoltscopeCore
import Testing
@testable import MoltbookReplay

/// The HTTP side: keep-alive, pipelining, concurrency, headers, starting and stopping.
struct ServerTests {
    let capture = TestCapture.shared

    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        try withReplayServer(era: .a) { server, port in
            let connection = try TestHTTPConnection(port: port)
            for id in capture.postIDs.sorted() {
                let response = try connection.get("/api/v1/posts/\(id)")
                #expect(response.status == 200)
                #expect(response.headers["connection"] == "keep-alive")
                #expect(response.headers["content-length"] == String(response.body.count))
            }
            #expect(server.requestCount == capture.postIDs.count)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withReplayServer(era: .b) { _, port in
            let connection = try TestHTTPConnection(port: port)
            let ids = capture.postIDs.sorted().prefix(3)
            try connection.sendRaw(ids.map { "GET /api/v1/posts/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
            for id in ids {
                let post = try connection.readResponse().json()["post"] as? [String: Any]
                #expect(post?["id"] as? String == id)
            }
        }
    }

    @Test func connectionCloseAndHTTP10AreHonoured() throws {
        try withReplayServer(era: .a) { _, port in
            let closing = try TestHTTPConnection(port: port)
            let response = try closing.get("/api/v1/posts?limit=1", headers: ["Connection": "close"])
            #expect(response.headers["connection"] == "close")
            #expect(closing.isClosedByServer())

            let old = try TestHTTPConnection(port: port)
            try old.sendRequest("/api/v1/posts?limit=1", version: "HTTP/1.0")
            #expect(try old.readResponse().status == 200)
            #expect(old.isClosedByServer())
        }
    }

    @Test func concurrentConnectionsAreServedTogether() throws {
        try withReplayServer(era: .c) { server, port in
            let ids = capture.postIDs.sorted()
            let failures = Locked(0)
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                do {
                    let connection = try TestHTTPConnection(port: port)
                    for round in 0..<25 {
                        let id = ids[(worker + round) % ids.count]
                        let path = round % 2 == 0 ? "/api/v1/posts/\(id)" : "/api/v1/posts/\(id)/comments"
                        if try connection.get(path).status != 200 { failures.withLock { $0 += 1 } }
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
            #expect(failures.withLock { $0 } == 0)
            #expect(server.requestCount == 200)
        }
    }

    @Test func portZeroBindsAFreeLoopbackPortAndStartIsIdempotent() throws {
        let server = try ReplayServer(capturePath: capture.path, era: .a)
        let port = try server.start()
        defer { server.stop() }
        #expect(port > 0)
        #expect(try server.start() == port)
        #expect(server.postCount == capture.postIDs.count)
    }

    @Test func stopClosesIdleConnectionsAndFreesThePort() throws {
        let server = try ReplayServer(capturePath: capture.path, era: .a)
        let port = try server.start()
        let idle = try TestHTTPConnection(port: port)
        #expect(try idle.get("/api/v1/posts?limit=1").status == 200)
        let started = Date()
        server.stop()
        #expect(Date().timeIntervalSince(started) < 20, "stopping does not wait for idle clients (60 s)")
        #expect(idle.isClosedByServer())
        #expect(throws: TestClientError.self) { try TestHTTPConnection(port: port) }
        server.stop()  // twice is harmless
        #expect(throws: MoltscopeError.self) { try server.start() }

        // The same port serves again at once (a crawler test restarts servers on one port).
        let again = try ReplayServer(capturePath: capture.path, era: .b, port: port)
        #expect(try again.start() == port)
        defer { again.stop() }
        #expect(try TestHTTPConnection.get(port: port, "/api/v1/posts?limit=1").status == 200)
    }

    @Test func aSlowAnswerDoesNotHoldUpStopping() throws {
        let server = try ReplayServer(capturePath: capture.path, era: .a, faults: try ReplayFaults.parse("slow:every=1,slow_ms=120000"))
        let port = try server.start()
        let waiting = Thread {
            _ = try? TestHTTPConnection.get(port: port, "/api/v1/posts?limit=1")
        }
        waiting.start()
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        server.stop()
        #expect(Date().timeIntervalSince(started) < 20)  // not the 120 s answer
    }

    @Test func aBusyPortAndAMissingCaptureAreClearErrors() throws {
        let first = try ReplayServer(capturePath: capture.path, era: .a)
        let port = try first.start()
        defer { first.stop() }
        let second = try ReplayServer(capturePath: capture.path, era: .a, port: port)
        #expect {
            _ = try second.start()
        } throws: { error in
            (error as? MoltscopeError)?.description.contains("\(port)") == true
        }
        #expect {
            _ = try ReplayServer(capturePath: "/no/such/capture.jsonl.gz", era: .a)
        } throws: { error in
            (error as? MoltscopeError)?.kind == .input
        }
    }

    @Test func aMalformedCaptureLineNamesItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).jsonl")
        try Data((String(decoding: capture.lines[0], as: UTF8.self) + "\n{\"body\": {oops\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            _ = try ReplayServer(capturePath: file.path, era: .a)
        } throws: { error in
            (error as? MoltscopeError)?.description.contains("line 2") == true
        }
    }

    @Test func malformedRequestsGet400() throws {
        try withReplayServer(era: .a) { _, port in
            let connection = try TestHTTPConnection(port: port)
            try connection.sendRaw("NONSENSE\r\n\r\n")
            #expect(try connection.readResponse().status == 400)
        }
    }
}
