import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore
import MoltscopeTestSupport
import Testing

// The limit guards against a hang, not a slow machine: the whole test bundle shares two cores.
@Suite("MoltbookClient", .timeLimit(.minutes(10)))
struct MoltbookClientTests {
    static let token = "moltbook_sk_TESTSECRET_4f9a"
    static let base = "http://fake.test/api/v1"
    static let postsURL = base + "/posts?sort=new&limit=2&offset=0"

    static let page = """
        {"success": true,
         "posts": [
           {"id": "p1", "title": "Hello", "content": "first", "upvotes": 3, "downvotes": 0, "comment_count": 1,
            "created_at": "2026-01-30T22:54:26.549732+00:00", "submolt": {"id": "s1", "name": "general"},
            "author": {"id": "a1", "name": "Zyn"}},
           {"id": "p2", "title": "World", "content": "second", "upvotes": 1, "downvotes": 0, "comment_count": 0,
            "created_at": "2026-01-30T23:00:00+00:00", "submolt": "general", "author": {"id": "a2", "name": "Owl"}}
         ],
         "has_more": true, "next_offset": 2}
        """

    private func client(_ fake: FakeHTTPClient, maxAttempts: Int = 3, token: String? = Self.token,
                        limiter: TokenBucket = TokenBucket(perMinute: 0),
                        logger: Logger = Logger(label: "client-tests") { _ in SwiftLogNoOpLogHandler() })
        -> MoltbookClient {
        let settings = MoltbookClient.Settings(
            baseURL: Self.base + "/", token: token, timeout: 7,
            retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.001, maxDelay: 0.004))
        return MoltbookClient(settings: settings, http: fake, limiter: limiter, logger: logger)
    }

    private func listPosts(_ client: MoltbookClient) async throws -> MoltbookClient.Fetched<PostPage> {
        try await client.listPosts(sort: "new", limit: 2, offset: 0, cursor: nil)
    }

    /// The APIRequestError a listing fails with; checks that the token is in no message.
    private func failure(_ client: MoltbookClient, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> APIRequestError {
        let error = try await #require(throws: APIRequestError.self, sourceLocation: sourceLocation) {
            try await listPosts(client)
        }
        #expect(!error.description.contains("TESTSECRET"), sourceLocation: sourceLocation)
        #expect(!error.userError.description.contains("TESTSECRET"), sourceLocation: sourceLocation)
        #expect(!"\(error)".contains("TESTSECRET"), sourceLocation: sourceLocation)
        #expect(error.url == Self.postsURL, sourceLocation: sourceLocation)
        #expect(error.description.contains(Self.postsURL), sourceLocation: sourceLocation)
        return error
    }

    // MARK: Success

    @Test func successParsesAndSendsTheRightRequest() async throws {
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, Self.page)])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.map(\.id) == ["p1", "p2"])
        #expect(fetched.value.posts.first?.title == "Hello")
        #expect(fetched.value.hasMore)
        #expect(fetched.value.nextOffset == 2)
        #expect(fetched.raw.status == 200)
        #expect(fetched.raw.url == Self.postsURL)
        #expect(fetched.raw.contentType == "application/json; charset=utf-8")
        #expect(fetched.raw.body == Data(Self.page.utf8))
        #expect(!fetched.raw.url.contains("TESTSECRET"))

        let requests = await fake.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "GET")
        #expect(request.url == Self.postsURL)
        #expect(request.headers["Authorization"] == "Bearer \(Self.token)")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["User-Agent"] == "moltscope/\(MoltscopeVersion.string)")
        #expect(request.timeout == 7)
    }

    /// A successful answer that echoes the key (a debug field, a post quoting it): neither the
    /// stored body nor the parsed posts hold it.
    @Test func aKeyEchoedInASuccessfulAnswerIsNeitherStoredNorParsed() async throws {
        let echoing = Self.page
            .replacingOccurrences(of: #""success": true,"#, with: #""success": true, "debug": {"authorization": "Bearer \#(Self.token)"},"#)
            .replacingOccurrences(of: #""content": "first""#, with: #""content": "my key is \#(Self.token)""#)
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, echoing)])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.first?.content == "my key is <redacted>")
        #expect(fetched.raw.body.range(of: Data("TESTSECRET".utf8)) == nil)
        #expect(String(decoding: fetched.raw.body, as: UTF8.self).contains(#""authorization": "Bearer <redacted>""#))
        #expect(fetched.value.posts.map(\.id) == ["p1", "p2"])
    }

    @Test func urlsAreBuiltAndEscaped() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(200, Self.page),
            FakeHTTPClient.json(200, #"{"success": true, "agent": {"id": "a1", "name": "Zyn & Co"}}"#),
        ])
        let client = client(fake)
        _ = try await client.listPosts(sort: "top", limit: 50, offset: 100, cursor: "eyJ+/=")
        let agent = try await client.agentProfile(name: "Zyn & Co")
        #expect(agent.value.name == "Zyn & Co")
        let urls = await fake.requests.map(\.url)
        // A cursor wins over an offset; reserved characters of values are escaped.
        #expect(urls == [Self.base + "/posts?sort=top&limit=50&cursor=eyJ%2B/%3D",
                         Self.base + "/agents/profile?name=Zyn%20%26%20Co"])
    }

    @Test func noTokenMeansNoAuthorizationHeader() async throws {
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, Self.page)])
        _ = try await listPosts(client(fake, token: nil))
        #expect(await fake.requests.first?.headers["Authorization"] == nil)
    }

    // MARK: Retries

    @Test func serverErrorThenSuccess() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(500, #"{"success": false, "error": "Internal error"}"#),
            FakeHTTPClient.json(200, Self.page),
        ])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.count == 2)
        #expect(await fake.count == 2)
        #expect(await fake.requests.allSatisfy { $0.url == Self.postsURL })
    }

    @Test func serverErrorsUntilGivingUp() async throws {
        let fake = FakeHTTPClient(Array(repeating: FakeHTTPClient.json(503, #"{"success": false, "error": "Service unavailable"}"#),
                                        count: 5))
        let error = try await failure(client(fake, maxAttempts: 3))
        #expect(error.kind == .status(503))
        #expect(error.attempts == 3)
        #expect(error.description.contains("HTTP 503 after 3 attempts"))
        #expect(error.description.contains("Service unavailable"))
        #expect(await fake.count == 3)
    }

    @Test func rateLimitBodyRetryAfterIsHonoured() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(429, #"{"success": false, "error": "Rate limit exceeded", "retry_after_seconds": 0.15}"#),
            FakeHTTPClient.json(200, Self.page),
        ])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.count == 2)
        let requests = await fake.requests
        #expect(requests.count == 2)
        #expect(requests[1].at - requests[0].at >= .milliseconds(140))
    }

    @Test func rateLimitHeaderRetryAfterIsHonoured() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(429, "{}", headers: ["retry-after": "0.15"]),
            FakeHTTPClient.json(200, Self.page),
        ])
        _ = try await listPosts(client(fake))
        let requests = await fake.requests
        #expect(requests.count == 2)
        #expect(requests[1].at - requests[0].at >= .milliseconds(140))
    }

    @Test func rateLimitPausesTheSharedLimiter() async throws {
        // The 429 pauses every request sharing the bucket, not only the one that was refused.
        let limiter = TokenBucket(perMinute: 0)
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(429, #"{"success": false, "error": "slow down", "retry_after_seconds": 0.4}"#),
            FakeHTTPClient.json(200, Self.page),
        ])
        let log = LogLines()
        let client = client(fake, limiter: limiter, logger: log.logger())
        let refused = Task { try await listPosts(client) }
        // The client logs "retrying" after it has paused the limiter.
        while !log.messages.contains("retrying") { try await Task.sleep(for: .milliseconds(2)) }
        try await limiter.acquire()
        let acquired = ContinuousClock.now
        let refusedAt = try #require(await fake.requests.first?.at)
        #expect(acquired - refusedAt >= .milliseconds(350))
        _ = try await refused.value
    }

    @Test func unauthorizedIsNotRetried() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(401, #"{"success": false, "error": "Invalid API key", "hint": "check it"}"#),
            FakeHTTPClient.json(200, Self.page),
        ])
        let error = try await failure(client(fake))
        #expect(error.kind == .status(401))
        #expect(error.attempts == 1)
        #expect(error.description == "GET \(Self.postsURL) answered HTTP 401: Invalid API key")
        #expect(error.userError.kind == .network)
        #expect(error.userError.description.contains("crawl.token_env"))
        #expect(await fake.count == 1)
    }

    @Test func otherClientErrorsAreNotRetried() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(400, #"{"statusCode": 400, "message": ["limit must be a number"], "error": "Bad Request"}"#),
        ])
        let error = try await failure(client(fake))
        #expect(error.kind == .status(400))
        #expect(error.description.contains("limit must be a number"))
        #expect(await fake.count == 1)
    }

    @Test func htmlNotFoundNamesTheURL() async throws {
        let fake = FakeHTTPClient([FakeHTTPClient.html(404), FakeHTTPClient.json(200, Self.page)])
        let error = try await failure(client(fake))
        #expect(error.kind == .notJSON)
        #expect(error.attempts == 1)
        #expect(error.description == "GET \(Self.postsURL) answered an HTML page, not JSON")
        #expect(error.userError.kind == .server)
        #expect(error.userError.description.contains("/api/v1"))
        #expect(await fake.count == 1)
    }

    @Test func htmlWithStatus200IsRetriedThenFailsAsNotJSON() async throws {
        let fake = FakeHTTPClient(Array(repeating: FakeHTTPClient.html(200, "<html>maintenance</html>"), count: 5))
        let error = try await failure(client(fake, maxAttempts: 3))
        #expect(error.kind == .notJSON)
        #expect(error.attempts == 3)
        #expect(error.description.contains("text/html"))
        #expect(error.description.contains("not JSON after 3 attempts"))
        #expect(await fake.count == 3)
    }

    @Test func bodyWithoutContentTypeIsJudgedByItsFirstByte() async throws {
        let fake = FakeHTTPClient([
            .respond(status: 200, headers: [:], body: Data("  <html>hi</html>".utf8)),
            .respond(status: 200, headers: [:], body: Data(("\n " + Self.page).utf8)),
        ])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.count == 2)
        #expect(await fake.count == 2)
    }

    @Test func truncatedJSONIsRetried() async throws {
        let cut = String(Self.page.prefix(Self.page.count / 2))
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, cut), FakeHTTPClient.json(200, Self.page)])
        let fetched = try await listPosts(client(fake))
        #expect(fetched.value.posts.map(\.id) == ["p1", "p2"])
        #expect(await fake.count == 2)

        let always = FakeHTTPClient(Array(repeating: FakeHTTPClient.json(200, cut), count: 3))
        let error = try await failure(client(always, maxAttempts: 3))
        #expect(error.kind == .malformed)
        #expect(error.attempts == 3)
    }

    @Test func wrongShapeIsNotRetried() async throws {
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, #"{"success": true, "items": []}"#),
                                   FakeHTTPClient.json(200, Self.page)])
        let error = try await failure(client(fake))
        #expect(error.kind == .malformed)
        #expect(error.attempts == 1)
        #expect(error.description.contains("posts"))
        #expect(await fake.count == 1)
    }

    @Test func transportTimeoutsAreRetriedThenFail() async throws {
        let fake = FakeHTTPClient([.fail(.timeout), .fail(.timeout), .fail(.timeout), FakeHTTPClient.json(200, Self.page)])
        let error = try await failure(client(fake, maxAttempts: 3))
        #expect(error.kind == .transport(.timeout))
        #expect(error.attempts == 3)
        #expect(error.description.contains("failed after 3 attempts"))
        #expect(await fake.count == 3)

        let recovering = FakeHTTPClient([.fail(.connectionLost), .fail(.truncated), FakeHTTPClient.json(200, Self.page)])
        #expect(try await listPosts(client(recovering, maxAttempts: 3)).value.posts.count == 2)

        let refused = FakeHTTPClient([.fail(.connectionRefused)])
        let refusedError = try await failure(client(refused, maxAttempts: 1))
        #expect(refusedError.attempts == 1)
        #expect(!refusedError.description.contains("after"))
        #expect(refusedError.userError.description.contains("crawl.base_url"))
    }

    @Test func tokenIsInNoErrorMessage() async throws {
        // Even when the server echoes the request back in its error.
        let steps: [FakeHTTPClient.Step] = [
            FakeHTTPClient.json(401, #"{"success": false, "error": "Unauthorized"}"#),
            FakeHTTPClient.json(403, #"{"statusCode": 403, "message": "Forbidden", "error": "Forbidden"}"#),
            FakeHTTPClient.html(404), FakeHTTPClient.html(502),
            .fail(.resolve), FakeHTTPClient.json(200, "{\"posts\": 3}"),
        ]
        for step in steps {
            let fake = FakeHTTPClient([step])
            let error = try await failure(client(fake, maxAttempts: 1))
            #expect(await fake.requests.first?.headers["Authorization"] == "Bearer \(Self.token)")
            _ = error
        }
    }

    // MARK: Cancellation

    @Test func cancellationWhileWaitingToRetry() async throws {
        let fake = FakeHTTPClient([
            FakeHTTPClient.json(429, #"{"success": false, "error": "Rate limit exceeded", "retry_after_seconds": 3600}"#),
        ])
        let client = client(fake)
        let task = Task { try await listPosts(client) }
        while await fake.count == 0 { try await Task.sleep(for: .milliseconds(2)) }
        try await Task.sleep(for: .milliseconds(20))
        let cancelled = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelled < .seconds(300))  // not the hour it was told to wait
        #expect(await fake.count == 1)
    }

    @Test func cancellationWhileWaitingForTheLimiter() async throws {
        let limiter = TokenBucket(perMinute: 0)
        await limiter.pause(seconds: 3600)
        let fake = FakeHTTPClient([FakeHTTPClient.json(200, Self.page)])
        let client = client(fake, limiter: limiter)
        let task = Task { try await listPosts(client) }
        try await Task.sleep(for: .milliseconds(30))
        let cancelled = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelled < .seconds(300))  // not the hour of the pause
        #expect(await fake.count == 0)
    }

    @Test func cancelledTransportIsCancellationNotRetried() async throws {
        let fake = FakeHTTPClient([.fail(.cancelled), FakeHTTPClient.json(200, Self.page)])
        await #expect(throws: CancellationError.self) { try await listPosts(client(fake)) }
        #expect(await fake.count == 1)
    }
}

@Suite("TokenBucket and RetryPolicy", .timeLimit(.minutes(10)))
struct RateLimitTests {
    @Test func burstOneAtSixHundredPerMinuteSpacesRequests() async throws {
        let bucket = TokenBucket(perMinute: 600, burst: 1)
        let started = ContinuousClock.now
        for _ in 0..<6 { try await bucket.acquire() }
        let elapsed = ContinuousClock.now - started
        // First token is in the bucket; the next five come every 0.1 s.
        #expect(elapsed >= .milliseconds(400), "\(elapsed)")
    }

    @Test func burstIsAvailableAtOnce() async throws {
        // Without the burst, five acquires at one a minute would take 4 minutes.
        let bucket = TokenBucket(perMinute: 1, burst: 5)
        let started = ContinuousClock.now
        for _ in 0..<5 { try await bucket.acquire() }
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func zeroPerMinuteNeverWaits() async throws {
        // Any limit of up to 100 a minute would make 200 acquires with a burst of 1 take minutes.
        let bucket = TokenBucket(perMinute: 0, burst: 1)
        let started = ContinuousClock.now
        for _ in 0..<200 { try await bucket.acquire() }
        #expect(ContinuousClock.now - started < .seconds(90))
    }

    @Test func pauseDelaysTheNextAcquire() async throws {
        let bucket = TokenBucket(perMinute: 0)
        await bucket.pause(seconds: 0.2)
        // A shorter pause does not shorten a longer one.
        await bucket.pause(seconds: 0.01)
        let started = ContinuousClock.now
        try await bucket.acquire()
        #expect(ContinuousClock.now - started >= .milliseconds(180))
    }

    @Test func concurrentAcquiresShareTheRate() async throws {
        let bucket = TokenBucket(perMinute: 1200, burst: 1)  // one per 50 ms
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { try await bucket.acquire() } }
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func retryDelaysStayWithinTheJitterCeiling() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 4)
        for attempt in 0..<8 {
            let ceiling = min(4, 0.5 * pow(2, Double(attempt)))
            for _ in 0..<200 {
                let delay = policy.delay(afterAttempt: attempt)
                #expect(delay >= 0 && delay <= ceiling, "attempt \(attempt): \(delay)")
            }
        }
        #expect(RetryPolicy(maxAttempts: 1, baseDelay: 0, maxDelay: 0).delay(afterAttempt: 3) == 0)
    }
}
