import Foundation
import GRDB
import MoltbookReplay
import MoltscopeCore
import Testing

/// The crawler against a local replay of the API: every era's shapes, injected faults,
/// resuming, and incremental crawls, all compared with reading the same capture directly.
@Suite(.serialized)
struct CrawlReplayTests {
    static func captureBaseline() async throws -> [String: String] {
        let dir = try TestEnvironment.temporaryDirectory("baseline")
        let db = dir.appendingPathComponent("capture.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: ["crawl.capture=\(TestEnvironment.sampleCapture)"])
        return try TestEnvironment.contentDigest(db)
    }

    static func crawlOverrides(port: Int, extra: [String] = []) -> [String] {
        ["crawl.base_url=http://127.0.0.1:\(port)/api/v1", "crawl.rate_limit_per_minute=0", "crawl.concurrency=4",
         "crawl.page_size=25", "crawl.backoff_base_seconds=0.01", "crawl.backoff_max_seconds=0.05",
         "crawl.timeout_seconds=5"] + extra
    }

    @Test(arguments: ReplayEra.allCases)
    func everyEraCrawlsToTheSameTablesAsTheCapture(era: ReplayEra) async throws {
        let baseline = try await Self.captureBaseline()
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: era)
        let port = try server.start()
        defer { server.stop() }
        let db = try TestEnvironment.temporaryDirectory("era").appendingPathComponent("replay.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        let crawled = try TestEnvironment.contentDigest(db)
        #expect(crawled["posts"] == baseline["posts"], "era \(era.rawValue) posts")
        #expect(crawled["comments"] == baseline["comments"], "era \(era.rawValue) comments")
        #expect(crawled["agents"] == baseline["agents"], "era \(era.rawValue) agents")
        #expect(crawled["submolts"]?.hasPrefix(baseline["submolts"]?.prefix(9) ?? "-") == true)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM errors") == 0)
        let detailKind = era == .a ? 200 : 400   // era b/c fetch comments separately
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind IN ('post_detail','comments')") == detailKind)
    }

    @Test func retryableFaultsStillGiveCompleteData() async throws {
        let baseline = try await Self.captureBaseline()
        let faults = try ReplayFaults.parse("429:0.05,500:0.05,503:0.03,truncate:0.05,drop:0.05,slow:0.02,slow_ms=300,overlap:0.3,seed=11")
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .a, faults: faults)
        let port = try server.start()
        defer { server.stop() }
        let db = try TestEnvironment.temporaryDirectory("faults").appendingPathComponent("faults.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port, extra: ["crawl.max_attempts=12"]))
        let crawled = try TestEnvironment.contentDigest(db)
        #expect(crawled["posts"] == baseline["posts"])
        #expect(crawled["comments"] == baseline["comments"])
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM errors") == 0)
        // Faults cost extra requests: more were served than the clean crawl needs.
        #expect(server.requestCount > 200 + 8 + 1)
    }

    @Test func htmlAnswersAreRecordedWithTheirURLAndTheNextRunFetchesTheRest() async throws {
        let baseline = try await Self.captureBaseline()
        let faulty = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b,
                                      faults: try ReplayFaults.parse("html404:every=7"))
        let port = try faulty.start()
        let db = try TestEnvironment.temporaryDirectory("html").appendingPathComponent("html.sqlite").path
        // A listing page may be hit too: then the run stops with an error, which is fine; run until done.
        var firstError: String?
        do {
            try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        } catch {
            firstError = "\(error)"
        }
        faulty.stop()
        let recorded = try TestEnvironment.strings(db, "SELECT reason FROM errors")
        #expect(!recorded.isEmpty || firstError != nil)
        for reason in recorded {
            #expect(reason.contains("http://127.0.0.1:\(port)/api/v1/"), "error names the URL: \(reason)")
            #expect(reason.contains("HTML") || reason.contains("not JSON"), "error says what came back: \(reason)")
        }
        if let firstError { #expect(firstError.contains("127.0.0.1:\(port)")) }

        let healthy = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b, port: port)
        _ = try healthy.start()
        defer { healthy.stop() }
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        let crawled = try TestEnvironment.contentDigest(db)
        #expect(crawled["posts"] == baseline["posts"])
        #expect(crawled["comments"] == baseline["comments"])
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM crawl_frontier WHERE state != 'done'") == 0)
    }

    @Test func secondCrawlFetchesOnlyNewPostsAndPostsWithMoreComments() async throws {
        // Version 1 of the site: 150 of the 200 posts, and 10 of them with their comments cut.
        let lines = try TestEnvironment.readLines(TestEnvironment.sampleCapture)
        var older: [Data] = []
        var trimmedIds: [String] = []
        for line in lines.prefix(150) {
            var object = try #require(JSONSerialization.jsonObject(with: line) as? [String: Any])
            var body = try #require(object["body"] as? [String: Any])
            var post = try #require(body["post"] as? [String: Any])
            let comments = body["comments"] as? [Any] ?? []
            if trimmedIds.count < 10, comments.count >= 2 {
                trimmedIds.append(try #require(post["id"] as? String))
                body["comments"] = Array(comments.prefix(1))
                post["comment_count"] = 1
                body["post"] = post
                object["body"] = body
            }
            older.append(try JSONSerialization.data(withJSONObject: object))
        }
        #expect(trimmedIds.count == 10)
        let dir = try TestEnvironment.temporaryDirectory("incremental")
        let olderCapture = dir.appendingPathComponent("older.jsonl.gz")
        try TestEnvironment.writeCapture(older, to: olderCapture)
        let db = dir.appendingPathComponent("incremental.sqlite").path

        let first = try ReplayServer(capturePath: olderCapture.path, era: .a)
        let port = try first.start()
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        first.stop()
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 150)

        let second = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .a, port: port)
        _ = try second.start()
        defer { second.stop() }
        let detailsBefore = try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind = 'post_detail'")
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        let detailsAfter = try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind = 'post_detail'")
        #expect(detailsAfter - detailsBefore == 50 + 10, "only the 50 new posts and the 10 that grew are fetched")
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 200)
        let baseline = try await Self.captureBaseline()
        #expect(try TestEnvironment.contentDigest(db)["comments"] == baseline["comments"])

        // A third crawl of an unchanged site fetches no details at all.
        try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: port))
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind = 'post_detail'") == detailsAfter)
    }

    @Test func aDeadServerGivesOneClearLine() async throws {
        let db = try TestEnvironment.temporaryDirectory("dead").appendingPathComponent("dead.sqlite").path
        // Port 9 (discard) on loopback has no listener here.
        await #expect {
            try await TestEnvironment.runPipeline(db: db, overrides: Self.crawlOverrides(port: 9, extra: ["crawl.max_attempts=2"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:9") && text.contains("crawl.base_url") && !text.contains("\n")
        }
        let status = try TestEnvironment.count(db, "SELECT count(*) FROM stage_runs WHERE status = 'failed'")
        #expect(status == 1)
    }
}
