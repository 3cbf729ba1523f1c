import Foundation
import GRDB
import MoltscopeCore
import Testing

/// Reading capture files directly: the real capture (golden numbers) and bad input.
struct CaptureCrawlTests {
    @Test func sharedCaptureGoldenCounts() async throws {
        guard let capture = TestEnvironment.sharedCapture else { return }
        let db = try TestEnvironment.temporaryDirectory("golden").appendingPathComponent("golden.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: ["crawl.capture=\(capture)"])
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 4_222)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM comments") == 36_167)
        #expect(try TestEnvironment.count(db, "SELECT max(depth) FROM comments") == 3)   // top-level comments are depth 0
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts WHERE content IS NULL AND flags LIKE '%null_content%'") == 128)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts WHERE created_at IS NULL") == 0)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM comments WHERE created_at NOT LIKE '2026-01-%Z'") == 0)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM errors") == 0)
        // Every comment's parent is a comment of the same post, or none.
        #expect(try TestEnvironment.count(db, """
            SELECT count(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
            WHERE c.parent_id IS NOT NULL AND (p.id IS NULL OR p.post_id != c.post_id OR p.depth != c.depth - 1)
            """) == 0)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind = 'capture_line'") == 4_222)
        // Stored raw responses rebuild exactly the same tables (`moltscope stage crawl`).
        let before = try TestEnvironment.contentDigest(db)
        try await TestEnvironment.runPipeline(db: db, overrides: ["crawl.capture=\(capture)"],
                                              plan: .rebuild(stage: "crawl", downstream: false))
        #expect(try TestEnvironment.contentDigest(db) == before)
    }

    @Test func badLinesAreRecordedAndBadRecordsFlaggedNotDropped() async throws {
        let good = try TestEnvironment.readLines(TestEnvironment.sampleCapture).prefix(3)
        var first = try #require(JSONSerialization.jsonObject(with: good[good.startIndex]) as? [String: Any])
        var body = try #require(first["body"] as? [String: Any])
        var post = try #require(body["post"] as? [String: Any])
        post["author"] = NSNull()
        post["content"] = NSNull()
        post["created_at"] = "not a time"
        post["upvotes"] = "7"
        body["post"] = post
        first["body"] = body
        let lines: [Data] = [
            try JSONSerialization.data(withJSONObject: first),
            Data("{\"endpoint\":\"/posts/x\",\"fetched_at\":\"2026-01-31T00:00:00Z\",\"status\":200,\"body\":{\"success\":tr".utf8),
            Data("<html><body>502 Bad Gateway</body></html>".utf8),
            Data("{\"endpoint\":\"/posts/y\",\"fetched_at\":\"2026-01-31T00:00:00Z\",\"status\":404,\"body\":{\"success\":false,\"error\":\"Post not found\"}}".utf8),
            good[good.startIndex + 1], good[good.startIndex + 2],
        ]
        let dir = try TestEnvironment.temporaryDirectory("badlines")
        let capture = dir.appendingPathComponent("bad.jsonl.gz")
        try TestEnvironment.writeCapture(lines, to: capture)
        let db = dir.appendingPathComponent("bad.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: ["crawl.capture=\(capture.path)"])

        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 3)
        let flagged = try TestEnvironment.row(db, "SELECT flags, author_id, created_at, created_at_raw, upvotes FROM posts WHERE author_id IS NULL")
        let row = try #require(flagged)
        let flags: String = try #require(row["flags"])
        #expect(flags.contains("null_author") && flags.contains("null_content") && flags.contains("bad_timestamp"))
        #expect((row["created_at"] as String?) == nil)
        #expect((row["created_at_raw"] as String?) == "not a time")
        #expect((row["upvotes"] as Int?) == 7)
        let reasons = try TestEnvironment.strings(db, "SELECT source || ' ' || reason FROM errors ORDER BY id")
        #expect(reasons.count == 3)
        #expect(reasons[0].contains("bad.jsonl.gz:2"))
        #expect(reasons[1].contains("bad.jsonl.gz:3") && reasons[1].contains("HTML"))
        #expect(reasons[2].contains("bad.jsonl.gz:4") && reasons[2].contains("Post not found"))
    }

    @Test func rereadingACaptureAddsNothing() async throws {
        let db = try TestEnvironment.temporaryDirectory("reread").appendingPathComponent("reread.sqlite").path
        let overrides = ["crawl.capture=\(TestEnvironment.sampleCapture)"]
        try await TestEnvironment.runPipeline(db: db, overrides: overrides)
        let first = try TestEnvironment.contentDigest(db)
        let raws = try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses")
        try await TestEnvironment.runPipeline(db: db, overrides: overrides)
        #expect(try TestEnvironment.contentDigest(db) == first)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses") == raws)
        // A different file of the same posts: read again from line 1, but nothing is new.
        let copy = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("copy.jsonl.gz")
        try FileManager.default.copyItem(atPath: TestEnvironment.sampleCapture, toPath: copy.path)
        try await TestEnvironment.runPipeline(db: db, overrides: ["crawl.capture=\(copy.path)"])
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses") == raws)
    }
}
