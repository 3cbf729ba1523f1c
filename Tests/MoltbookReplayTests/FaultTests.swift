import Foundation
import MoltscopeCore
import Testing
@testable import MoltbookReplay

/// Every injected fault is observable from the client side, and bad specs are refused.
struct FaultTests {
    let capture = TestCapture.shared
    var anyPostID: String { capture.postIDs.sorted()[0] }

    @Test(arguments: ReplayEra.allCases)
    func rateLimitAnswers429WithRetryAfter(era: ReplayEra) throws {
        try withReplayServer(era: era, faults: "429:every=1") { _, port in
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts/\(anyPostID)")
            #expect(response.status == 429)
            #expect(response.headers["retry-after"] == "1")
            let body = try response.json()
            #expect(body["success"] as? Bool == false)
            #expect(body["error"] as? String == "Rate limit exceeded")
            #expect(body["retry_after_seconds"] as? Int == 1)
        }
    }

    @Test(arguments: ReplayEra.allCases, [500, 503])
    func serverErrorsHaveTheErasErrorBody(era: ReplayEra, status: Int) throws {
        try withReplayServer(era: era, faults: "\(status):every=1") { _, port in
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts?limit=3")
            #expect(response.status == status)
            let body = try response.json()
            if era == .c {
                #expect(body["statusCode"] as? Int == status)
                #expect(body["path"] as? String == "/api/v1/posts")
            } else {
                #expect(body["success"] as? Bool == false)
                #expect(body["error"] is String)
            }
        }
    }

    @Test func html404AnswersHTMLForAValidRoute() throws {
        try withReplayServer(era: .a, faults: "html404:every=2") { _, port in
            let connection = try TestHTTPConnection(port: port)
            #expect(try connection.get("/api/v1/posts/\(anyPostID)").status == 200)
            let faulty = try connection.get("/api/v1/posts/\(anyPostID)")
            #expect(faulty.status == 404)
            #expect(faulty.contentType.hasPrefix("text/html"))
            #expect(try connection.get("/api/v1/posts/\(anyPostID)").status == 200, "the connection lives on")
        }
    }

    @Test func truncateSendsHalfTheDeclaredBodyThenCloses() throws {
        let whole = try withReplayServer(era: .a) { _, port in
            try TestHTTPConnection.get(port: port, "/api/v1/posts/\(anyPostID)").body.count
        }
        try withReplayServer(era: .a, faults: "truncate:every=1") { _, port in
            let connection = try TestHTTPConnection(port: port)
            // `.truncated` is thrown only at end of stream: the server closed after half the body.
            #expect(throws: TestClientError.truncated(expected: whole, received: whole / 2)) {
                try connection.get("/api/v1/posts/\(anyPostID)")
            }
        }
    }

    @Test func slowAnswersLateButWhole() throws {
        try withReplayServer(era: .a, faults: "slow:every=1,slow_ms=300") { _, port in
            let started = Date()
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts/\(anyPostID)")
            #expect(Date().timeIntervalSince(started) >= 0.29)
            #expect(response.status == 200)
        }
    }

    @Test func dropClosesWithoutAnAnswer() throws {
        try withReplayServer(era: .b, faults: "drop:every=2") { server, port in
            let connection = try TestHTTPConnection(port: port)
            #expect(try connection.get("/api/v1/posts?limit=1").status == 200)
            #expect(throws: TestClientError.closedWithoutResponse) { try connection.get("/api/v1/posts?limit=1") }
            #expect(server.requestCount == 2, "a dropped request still counts")
        }
    }

    @Test func overlapStartsOffsetPagesEarlierButNeverSkips() throws {
        let total = capture.postIDs.count
        let clean = try withReplayServer(era: .a) { _, port in try walkPostPages(port: port, era: .a, sort: "new", limit: 5) }
        try withReplayServer(era: .a, faults: "overlap:every=1,seed=3") { _, port in
            let page = try TestHTTPConnection.get(port: port, "/api/v1/posts?sort=new&limit=5&offset=10").json()
            let ids = (page["posts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let start = try #require(clean.ids.firstIndex(of: ids.first ?? ""))
            #expect((5...9).contains(start), "starts 1 to 5 items early")
            #expect(ids == Array(clean.ids[start..<(start + 5)]))
            #expect(page["next_offset"] as? Int == start + 5, "the next page follows on, so nothing is skipped")

            let walk = try walkPostPages(port: port, era: .a, sort: "new", limit: 5)
            #expect(Set(walk.ids) == capture.postIDs, "every post still served")
            #expect(walk.ids.count > total, "pages overlapped")
        }
    }

    @Test func probabilitiesAreSeededAndRepeatable() throws {
        func statuses() throws -> [Int] {
            try withReplayServer(era: .a, faults: "429:0.3,500:0.2,seed=42") { _, port in
                let connection = try TestHTTPConnection(port: port)
                return try (0..<200).map { _ in try connection.get("/api/v1/posts?limit=1").status }
            }
        }
        let first = try statuses()
        #expect(first == (try statuses()), "same seed, same faults")
        let limited = first.filter { $0 == 429 }.count
        let failed = first.filter { $0 == 500 }.count
        #expect((35...85).contains(limited))
        #expect((20...60).contains(failed))
        #expect(first.filter { $0 == 200 }.count + limited + failed == 200)
    }

    @Test(arguments: [
        ("429", "429"), ("429:1.5", "429:1.5"), ("teapot:0.1", "teapot"), ("seed=x", "seed=x"),
        ("429:0.6,500:0.6", "add up"), ("429:every=0", "429:every=0"), ("slow_ms=-1", "slow_ms=-1"),
        ("429:0.1,429:0.2", "twice"), ("429:0.1,,500:0.1", "empty"), ("color=red", "color"),
        ("500@inbox:every=2", "inbox"), ("500@post:0.7,429:0.5", "add up"), ("500@post:1,500@post:1", "twice"), ("500:first=0", "first=N"),
    ])
    func badSpecsAreUsageErrorsNamingThePart(spec: String, named: String) {
        #expect {
            _ = try ReplayFaults.parse(spec)
        } throws: { error in
            guard let error = error as? MoltscopeError else { return false }
            return error.kind == .usage && error.description.contains(named) && !error.description.contains("\n")
        }
    }

    @Test func goodSpecsParse() throws {
        #expect(try ReplayFaults.parse("").isEmpty)
        let full = try ReplayFaults.parse("429:0.05,500:0.05,503:0.01,html404:0.02,truncate:0.02,slow:0.05,drop:0.02,overlap:0.1,seed=7,slow_ms=20")
        #expect(full.rules.count == 8)
        #expect(full.seed == 7)
        #expect(full.slowMilliseconds == 20)
        #expect(try ReplayFaults.parse("drop:every=3").rules.first?.trigger == .every(3))
    }

    @Test func routedSpecsParseAndSumPerRoute() throws {
        let faults = try ReplayFaults.parse("500@comments:every=2,429@profile:0.6,429@post:0.6,drop:0.3")
        #expect(faults.rules.map(\.route) == [.comments, .profile, .post, nil])
        #expect(faults.rules.first?.trigger == .every(2))
        #expect(try ReplayFaults.parse("500@submolts:first=2").rules.first?.trigger == .first(2))
    }

    @Test func firstNFailsOnlyTheFirstRequestsOfItsRoute() throws {
        try withReplayServer(era: .a, faults: "500@submolts:first=2") { _, port in
            let connection = try TestHTTPConnection(port: port)
            #expect(try connection.get("/api/v1/posts?limit=1").status == 200)
            #expect(try connection.get("/api/v1/submolts").status == 500)
            #expect(try connection.get("/api/v1/submolts").status == 500)
            #expect(try connection.get("/api/v1/submolts").status == 200)
            #expect(try connection.get("/api/v1/submolts").status == 200)
        }
    }

    @Test func aRoutedFaultHitsOnlyItsRouteAndCountsOnlyItsRequests() throws {
        try withReplayServer(era: .b, faults: "500@comments:every=2") { server, port in
            let connection = try TestHTTPConnection(port: port)
            // Other routes never fail, however many requests come between.
            for _ in 0..<5 { #expect(try connection.get("/api/v1/posts/\(anyPostID)").status == 200) }
            #expect(try connection.get("/api/v1/posts?limit=2").status == 200)
            #expect(try connection.get("/api/v1/posts/\(anyPostID)/comments").status == 200, "first comments request")
            #expect(try connection.get("/api/v1/posts/\(anyPostID)").status == 200)
            #expect(try connection.get("/api/v1/posts/\(anyPostID)/comments").status == 500, "second comments request")
            #expect(try connection.get("/api/v1/posts/\(anyPostID)/comments").status == 200)
            #expect(try connection.get("/api/v1/submolts").status == 200)
            #expect(server.requestCount == 11)
        }
    }

    @Test(arguments: [
        ("/api/v1/posts", ReplayRoute.posts), ("/api/v1/posts/abc", .post), ("/api/v1/posts/abc/comments", .comments),
        ("/api/v1/submolts", .submolts), ("/api/v1/submolts/general", .submolt), ("/api/v1/submolts/general/feed", .feed),
        ("/api/v1/agents/profile", .profile),
    ])
    func pathsNameTheirRoute(path: String, route: ReplayRoute) {
        #expect(ReplayRoute(path: path) == route)
        #expect(ReplayRoute(path: "/api/v2/posts") == nil && ReplayRoute(path: "/api/v1/agents/me") == nil)
    }
}
