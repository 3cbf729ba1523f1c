import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore
import MoltscopeTestSupport
import Testing
@testable import MoltscopeStages

private let secret = "sk-pool-SECRET-4242"
private let quickRetry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)

private func backend(_ url: String, timeout: Double = 5) -> OpenAIEmbeddingBackend {
    OpenAIEmbeddingBackend(url: url, model: "fake-model", token: secret, timeout: timeout, retry: quickRetry,
                           http: CurlHTTPClient(maxConcurrentRequests: 4, connectTimeout: 2))
}

/// A pool whose cooldowns (10 minutes unless a test says otherwise) never pass by accident while
/// the test bundle's threads are busy elsewhere.
private func pool(_ urls: [String], cooldown: PoolCooldown = PoolCooldown(base: 600, max: 1200), log: LogLines? = nil,
                  clock: TestClock? = nil, timeout: Double = 5) -> EmbeddingPool {
    let clock = clock ?? TestClock()
    let servers = urls.map { EmbeddingPool.Server(url: $0, backend: backend($0, timeout: timeout)) }
    let logger = log.map { lines in Logger(label: "pool-test") { _ in LogLines.Handler(lines: lines) } }
    return EmbeddingPool(servers: servers, cooldown: cooldown, logger: logger, now: { clock.now })
}

/// The real clock plus whatever the test has moved it forward, so a cooldown passes at once and
/// never by accident while a loaded machine runs the test slowly.
private final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var ahead: Duration = .zero

    var now: ContinuousClock.Instant { ContinuousClock.now + lock.withLock { ahead } }
    func advance(by duration: Duration) { lock.withLock { ahead += duration } }
}

/// Batch `index` of a run: four texts no other batch has.
private func batches(_ count: Int) -> [[String]] {
    (0..<count).map { batch in (0..<4).map { "text \(batch)-\($0): agents post about molting" } }
}

private func expected(_ batches: [[String]]) -> [[[Float]]] {
    batches.map { $0.map { FakeEmbeddingServer.vector(for: $0) } }
}

/// Embeds `batches` with `concurrency` requesters, as the embed stage does; each batch's vectors by its index.
private func embedAll(_ backend: any EmbeddingBackend, _ batches: [[String]], concurrency: Int) async throws -> [[[Float]]] {
    let queue = BatchQueue(count: batches.count)
    var results = [[[Float]]?](repeating: nil, count: batches.count)
    try await withThrowingTaskGroup(of: [(Int, [[Float]])].self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var done: [(Int, [[Float]])] = []
                while let index = await queue.next() {
                    done.append((index, try await backend.embed(batches[index])))
                }
                return done
            }
        }
        for try await done in group {
            for (index, vectors) in done {
                #expect(results[index] == nil, "batch \(index) answered twice")
                results[index] = vectors
            }
        }
    }
    return try results.map { try #require($0, "a batch was lost") }
}

private actor BatchQueue {
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }
}

/// Runs `body`, expecting a `MoltscopeError`, and returns it.
private func moltscopeError(_ body: () async throws -> Void) async -> MoltscopeError? {
    do {
        try await body()
        Issue.record("expected a MoltscopeError, got success")
        return nil
    } catch let error as MoltscopeError {
        return error
    } catch {
        Issue.record("expected a MoltscopeError, got \(error)")
        return nil
    }
}

@Suite("EmbeddingPool: several model servers")
struct EmbeddingPoolTests {
    @Test func threeHealthyServersShareTheWorkAndAnswerAsOneWould() async throws {
        let servers = try (0..<3).map { _ in try FakeEmbeddingServer() }
        defer { servers.forEach { $0.stop() } }
        let work = batches(30)
        let vectors = try await embedAll(pool(servers.map(\.openAIURL)), work, concurrency: 3)
        #expect(vectors == expected(work))

        let single = try FakeEmbeddingServer()
        defer { single.stop() }
        let alone = try await embedAll(backend(single.openAIURL), work, concurrency: 1)
        #expect(vectors == alone, "the same vectors, in the same order, as one server's")

        #expect(servers.map(\.requestCount).reduce(0, +) == work.count, "each batch sent once")
        for server in servers { #expect(server.requestCount > 0, "every server got work: \(servers.map(\.requestCount))") }
    }

    @Test func aSlowServerGetsLessWork() async throws {
        // Thirty seconds per request: clearly slower than the others even when this test's tasks
        // wait tens of seconds for a thread (3 s was not always enough with the whole test bundle
        // on two cores: after such a wait every server looks idle at once).
        let slow = try FakeEmbeddingServer()
        slow.defaultMode = .slow(30)
        let fast = try (0..<2).map { _ in try FakeEmbeddingServer() }
        defer { ([slow] + fast).forEach { $0.stop() } }
        let work = batches(20)
        let vectors = try await embedAll(pool([slow.openAIURL] + fast.map(\.openAIURL), timeout: 120), work, concurrency: 3)
        #expect(vectors == expected(work))
        let counts = "slow \(slow.requestCount), fast \(fast.map(\.requestCount))"
        #expect(slow.requestCount >= 1, "\(counts)")
        for server in fast { #expect(server.requestCount >= 2 * slow.requestCount, "\(counts)") }
    }

    @Test func aServerThatDiesMidRunIsDrainedWithoutLosingABatch() async throws {
        let servers = try (0..<3).map { _ in try FakeEmbeddingServer() }
        defer { servers.forEach { $0.stop() } }
        for server in servers { server.defaultMode = .slow(0.02) }
        // Three answers, then it drops every connection. (Not `stop()`: a test running beside
        // this one could get the freed port, and this pool would talk to its server.)
        let dying = servers[0]
        dying.script([.slow(0.02), .slow(0.02), .slow(0.02)])
        dying.defaultMode = .closeWithoutAnswer
        let log = LogLines()
        let work = batches(40)
        let vectors = try await embedAll(pool(servers.map(\.openAIURL), log: log), work, concurrency: 3)
        #expect(vectors == expected(work), "every batch embedded once, in order")

        // A server never has two of three requests in flight, so it fails one batch, then rests:
        // two attempts, each of which curl may repeat once on a fresh connection.
        #expect((5...7).contains(dying.requestCount), "\(dying.requestCount) requests to the dead server")
        #expect(servers[1].requestCount + servers[2].requestCount == work.count - 3)
        let down = log.lines.filter { $0.contains("embedding server down") }
        #expect(down.count == 1, "\(log.lines)")
        #expect(down.first?.contains(dying.openAIURL) == true, "\(down)")
        #expect(down.first?.hasPrefix("warning") == true, "\(down)")
        #expect(!log.lines.contains { $0.contains("still down") || $0.contains("is back") }, "\(log.lines)")
        #expect(!log.lines.joined().contains(secret))
    }

    @Test func aServerAnswering500IsRestedAndItsBatchGoesElsewhere() async throws {
        let servers = try (0..<2).map { _ in try FakeEmbeddingServer() }
        defer { servers.forEach { $0.stop() } }
        let broken = servers[0]
        broken.script([.normal, .normal])
        broken.defaultMode = .status(500)
        let log = LogLines()
        let work = batches(20)
        let vectors = try await embedAll(pool(servers.map(\.openAIURL), log: log), work, concurrency: 2)
        #expect(vectors == expected(work))
        // Two answered batches, then one batch's request and its retry; then no more work.
        #expect(broken.requestCount == 4, "\(broken.requestCount) requests to the broken server")
        #expect(servers[1].requestCount == work.count - 2)
        #expect(log.lines.filter { $0.contains("embedding server down: \(broken.openAIURL)") }.count == 1, "\(log.lines)")
    }

    @Test func allServersDownFailsWithOneLineNamingEach() async throws {
        let refusing = try FakeEmbeddingServer.refusingPort()
        defer { refusing.close() }
        let failing = try FakeEmbeddingServer()
        failing.defaultMode = .status(503)
        defer { failing.stop() }
        let refusingToo = try FakeEmbeddingServer.refusingPort()
        defer { refusingToo.close() }
        let urls = ["http://127.0.0.1:\(refusing.port)/v1/embeddings", failing.openAIURL,
                    "http://user:password@127.0.0.1:\(refusingToo.port)/v1/embeddings"]
        let log = LogLines()
        let backend = pool(urls, log: log)
        let error = try #require(await moltscopeError { _ = try await backend.embed(["hello"]) })
        let line = error.description
        #expect(!line.contains("\n"))
        #expect(!line.contains(secret), "the token leaked: \(line)")
        #expect(!line.contains("password"), "credentials leaked: \(line)")
        #expect(line.contains(urls[0]) && line.contains(failing.openAIURL), "\(line)")
        #expect(line.contains("http://127.0.0.1:\(refusingToo.port)/v1/embeddings"), "\(line)")
        #expect(line.contains("HTTP 503"), "\(line)")
        #expect(line.contains("embed.urls"), "the remedy names the setting: \(line)")
        #expect(error.kind == .network)
        #expect(log.lines.filter { $0.contains("embedding server down") }.count == 3, "\(log.lines)")

        // While they rest, the next batch fails at once, without a request.
        let before = failing.requestCount
        _ = try #require(await moltscopeError { _ = try await backend.embed(["again"]) })
        #expect(failing.requestCount == before)
    }

    @Test func aServerIsProbedAgainAfterItsCooldown() async throws {
        let servers = try (0..<2).map { _ in try FakeEmbeddingServer() }
        defer { servers.forEach { $0.stop() } }
        let flaky = servers[0]
        flaky.script([.status(500), .status(500)])
        let log = LogLines()
        let clock = TestClock()
        let backend = pool(servers.map(\.openAIURL), cooldown: PoolCooldown(base: 600, max: 1200), log: log, clock: clock)

        // The first batch goes to the flaky server (first in turn), fails there, and is embedded by
        // the other. The cooldown (10 minutes) outlasts three batches however loaded the machine;
        // then the test moves the pool's clock past it.
        let work = batches(6)
        for batch in work.prefix(3) {
            #expect(try await backend.embed(batch) == batch.map { FakeEmbeddingServer.vector(for: $0) })
        }
        #expect(flaky.requestCount == 2, "resting: no work during the cooldown")
        #expect(servers[1].requestCount == 3)

        clock.advance(by: .seconds(601))
        for batch in work.suffix(3) {
            #expect(try await backend.embed(batch) == batch.map { FakeEmbeddingServer.vector(for: $0) })
        }
        #expect(flaky.requestCount > 2, "back in the pool after the cooldown")
        #expect(log.lines.contains { $0.hasPrefix("info") && $0.contains("embedding server is back: \(flaky.openAIURL)") },
                "\(log.lines)")
    }

    @Test func inputErrorsAreTheUsersNotAServerFailure() async throws {
        let servers = try (0..<2).map { _ in try FakeEmbeddingServer() }
        defer { servers.forEach { $0.stop() } }
        servers[0].script([.status(400)])
        let backend = pool(servers.map(\.openAIURL))
        do {
            _ = try await backend.embed(["too long"])
            Issue.record("expected the 400 to surface")
        } catch let error as EmbeddingError {
            #expect(error.kind == .httpStatus(400))
        }
        #expect(servers[1].requestCount == 0, "the batch was not sent elsewhere")

        servers[1].script([.wrongDimension])
        let checked = EmbeddingPool(servers: servers.map { server in
            EmbeddingPool.Server(url: server.openAIURL, backend: OpenAIEmbeddingBackend(
                url: server.openAIURL, model: "fake-model", token: nil, timeout: 5, retry: quickRetry,
                http: CurlHTTPClient(maxConcurrentRequests: 2, connectTimeout: 2), expectedDimension: 8))
        })
        #expect(try await checked.embed(["fine"]) == [FakeEmbeddingServer.vector(for: "fine")])  // server 0, fine now
        do {
            _ = try await checked.embed(["eleven numbers"])
            Issue.record("expected the wrong dimension to surface")
        } catch let error as EmbeddingError {
            #expect(error.kind == .wrongDimension(expected: 8, got: 11))
        }
        // Nobody was marked down: the next batch still goes to server 0 in turn.
        #expect(try await checked.embed(["next"]) == [FakeEmbeddingServer.vector(for: "next")])
        #expect(servers[0].requestCount == 3)
    }

    @Test func summaryNamesEveryServerWithoutCredentials() {
        let backend = pool(["http://gpu1:8000/v1/embeddings", "http://alice:hunter2@gpu2:8000/v1/embeddings"])
        #expect(backend.summary.contains("http://gpu1:8000/v1/embeddings"), "\(backend.summary)")
        #expect(backend.summary.contains("http://gpu2:8000/v1/embeddings"), "\(backend.summary)")
        #expect(backend.summary.contains("2 servers"), "\(backend.summary)")
        #expect(!backend.summary.contains("hunter2") && !backend.summary.contains(secret))
    }

    @Test func cooldownDoublesUpToItsLimit() {
        let cooldown = PoolCooldown()
        #expect((1...6).map { cooldown.seconds(afterFailures: $0) } == [30, 60, 120, 240, 300, 300])
        #expect(cooldown.seconds(afterFailures: 1_000) == 300)
    }
}

@Suite("EmbeddingPool: configuration")
struct EmbeddingPoolConfigTests {
    private func config(_ overrides: [String]) throws -> PipelineConfig {
        try PipelineConfig(path: nil, overrides: overrides, schema: EmbedKeys.all)
    }

    @Test func urlsMakeAPoolAndSetTheDefaultConcurrency() throws {
        let urls = ["http://gpu1:8000/v1/embeddings", "https://gpu2/v1/embeddings", "http://gpu3:8000/v1/embeddings"]
        let pooled = try config(["embed.urls=[\(urls.map { "\"\($0)\"" }.joined(separator: ", "))]"])
        #expect(try EmbedServers.from(pooled) == .pool(urls))
        #expect(EmbedServers.concurrency(pooled) == 3, "one request per server")
        #expect(EmbedServers.concurrency(try config(["embed.urls=\(urls.joined(separator: ","))", "embed.concurrency=5"])) == 5)

        let single = try config(["embed.url=http://127.0.0.1:8080/v1/embeddings"])
        #expect(try EmbedServers.from(single) == .single("http://127.0.0.1:8080/v1/embeddings"))
        #expect(EmbedServers.concurrency(single) == 1)
        #expect(try EmbedServers.from(config([])) == .managed)
        #expect(EmbedServers.concurrency(try config([])) == 1)
    }

    @Test func urlAndURLsTogetherAreRejected() throws {
        let both = try config(["embed.url=http://a:1/v1/embeddings", "embed.urls=http://b:1/v1/embeddings"])
        #expect(throws: MoltscopeError.self) { try EmbedServers.from(both) }
        do {
            _ = try EmbedServers.from(both)
        } catch let error as MoltscopeError {
            #expect(error.kind == .config)
            #expect(error.description.contains("embed.url and embed.urls"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: ["ftp://gpu1/v1/embeddings", "gpu1:8000/v1/embeddings", "not a url", "http://"])
    func aBadURLInTheListIsRejected(_ bad: String) throws {
        let list = try config(["embed.urls=[\"http://gpu1:8000/v1/embeddings\", \"\(bad)\"]"])
        do {
            _ = try EmbedServers.from(list)
            Issue.record("\(bad) was accepted")
        } catch let error as MoltscopeError {
            #expect(error.kind == .config)
            #expect(error.description.contains("embed.urls"), "\(error)")
        }
    }

    @Test func aURLListedTwiceIsRejected() throws {
        let twice = try config(["embed.urls=[\"http://gpu1/v1/embeddings\", \"http://gpu1/v1/embeddings\"]"])
        #expect(throws: MoltscopeError.self) { try EmbedServers.from(twice) }
    }

    @Test func theTOMLFormReadsToo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            [embed]
            urls = ["http://gpu1:8000/v1/embeddings", "http://gpu2:8000/v1/embeddings"]
            """.write(to: file, atomically: true, encoding: .utf8)
        let loaded = try PipelineConfig(path: file.path, schema: EmbedKeys.all)
        #expect(try EmbedServers.from(loaded) == .pool(["http://gpu1:8000/v1/embeddings", "http://gpu2:8000/v1/embeddings"]))
        #expect(EmbedServers.concurrency(loaded) == 2)
    }
}

@Suite("EmbeddingPool: through the embed stage")
struct EmbeddingPoolStageTests {
    @Test func everyKeptDocumentGetsItsVectorWhenOneServerFailsHalfWay() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        try await pipeline.run(plan: .pipeline(stages: ["crawl", "clean"]))
        let distinct = try pipeline.int("SELECT count(DISTINCT content_hash) FROM documents WHERE status = 'kept'")
        let batchSize = 4
        let batchCount = (distinct + batchSize - 1) / batchSize
        try #require(batchCount >= 8, "the sample is big enough to fail half-way")

        let healthy = try FakeEmbeddingServer()
        let failing = try FakeEmbeddingServer()
        defer { [healthy, failing].forEach { $0.stop() } }
        failing.script(Array(repeating: .normal, count: batchCount / 4))
        failing.defaultMode = .status(500)
        try await pipeline.run(["embed.urls=\(healthy.openAIURL), \(failing.openAIURL)", "embed.batch_size=\(batchSize)",
                                "embed.max_attempts=2",
                                // Rests for the whole run, however slowly a loaded machine runs it.
                                "embed.pool_cooldown_seconds=3600"],
                               plan: .pipeline(stages: ["embed"]))

        let model = EmbedKeys.defaultModel
        #expect(try pipeline.int("SELECT count(*) FROM embeddings WHERE model = '\(model)'") == distinct)
        #expect(try pipeline.int("""
            SELECT count(*) FROM documents d WHERE status = 'kept' AND NOT EXISTS
                (SELECT 1 FROM embeddings e WHERE e.model = '\(model)' AND e.content_hash = d.content_hash)
            """) == 0, "every kept document has its vector")
        #expect(failing.requestCount == batchCount / 4 + 2, "answered its share, failed one batch twice, then rested")
        #expect(healthy.requestCount == batchCount - batchCount / 4)
    }
}
