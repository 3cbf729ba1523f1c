import Foundation
import GRDB
import MoltscopeCore
import Testing
@testable import MoltscopeStages

@Suite("Clean stage", .serialized)
struct CleanStageTests {
    @Test func sampleGivesOneDocumentPerPostAndComment() async throws {
        let pipeline = try CleanPipeline()
        defer { pipeline.remove() }
        let outcomes = try await pipeline.run()
        #expect(outcomes.map(\.stage) == ["crawl", "clean"])
        #expect(outcomes.last?.report?.rowsIn == 1_789 && outcomes.last?.report?.rowsOut == 1_789)

        #expect(try pipeline.int("SELECT count(*) FROM documents") == 1_789)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE kind = 'post'") == 200)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE kind = 'comment'") == 1_589)
        try Self.checkInvariants(pipeline, maxChars: 2000)

        // Posts: title, blank line, content; comments carry their post's submolt.
        #expect(try pipeline.int("""
            SELECT count(*) FROM documents d JOIN posts p ON p.id = d.id
            WHERE p.title IS NOT NULL AND p.title NOT LIKE '%*%' AND p.title NOT LIKE '%&%' AND p.title NOT LIKE '%#%'
              AND substr(d.text, 1, length(trim(p.title))) != trim(p.title)
            """) == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM documents d JOIN comments c ON c.id = d.id JOIN posts p ON p.id = c.post_id
            WHERE d.submolt IS NOT p.submolt OR d.post_id != c.post_id OR d.parent_id IS NOT c.parent_id
            """) == 0)
        // HTML entities the API sent are decoded.
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE text LIKE '%&quot;%' OR text LIKE '%&amp;%'") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM comments WHERE content LIKE '%&quot;%'") > 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE language = 'en'") > 1_000)

        let exactShare = try #require(try pipeline.double("""
            SELECT avg(exact_group IS NOT NULL) FROM documents WHERE kind = 'comment'
            """))
        print("sample: exact-duplicate share of comments \(String(format: "%.3f", exactShare)), "
              + "near groups \(try pipeline.int("SELECT count(*) FROM duplicate_groups WHERE method = 'near'")), "
              + "flood events \(try pipeline.int("SELECT count(*) FROM flood_events")), "
              + "truncated \(try pipeline.int("SELECT count(*) FROM documents WHERE truncated = 1"))")
        #expect(exactShare > 0.05 && exactShare < 0.6)

        // Up to date now; a config change makes it stale.
        #expect(try pipeline.freshness("clean") == .upToDate)
        #expect(try pipeline.freshness("clean", ["clean.near_threshold=0.9"]) == .stale("config changed"))
    }

    @Test func rebuildIsDeterministicAndReplacesOutputs() async throws {
        let pipeline = try CleanPipeline()
        defer { pipeline.remove() }
        try await pipeline.run()
        let first = try pipeline.outputDigest()
        let fingerprint = try pipeline.strings("SELECT output_fingerprint FROM stage_runs WHERE stage = 'clean'")
        try await pipeline.run(plan: .rebuild(stage: "clean", downstream: false))
        #expect(try pipeline.outputDigest() == first)
        #expect(try pipeline.int("SELECT count(*) FROM documents") == 1_789)
        let fingerprints = try pipeline.strings("SELECT output_fingerprint FROM stage_runs WHERE stage = 'clean' ORDER BY id")
        #expect(fingerprints.count == 2 && fingerprints[1] == fingerprint[0])
        #expect(!FileManager.default.fileExists(atPath: pipeline.db + ".clean-spill"))

        // Another threshold changes the groups and so the fingerprint.
        try await pipeline.run(["clean.near_threshold=0.5"])
        let third = try pipeline.strings("SELECT output_fingerprint FROM stage_runs WHERE stage = 'clean' ORDER BY id")
        #expect(third.count == 3 && third[2] != third[1])
        #expect(try pipeline.int("SELECT count(*) FROM documents") == 1_789)
        try Self.checkInvariants(pipeline, maxChars: 2000)
    }

    @Test func rulesMarkDocumentsDroppedWithoutDeletingThem() async throws {
        let pipeline = try CleanPipeline()
        defer { pipeline.remove() }
        try await pipeline.run(["clean.languages=en", "clean.drop_floods=true", "clean.min_chars=20",
                                "clean.flood_gap_seconds=86400", "clean.max_chars=300"])
        #expect(try pipeline.int("SELECT count(*) FROM documents") == 1_789)
        try Self.checkInvariants(pipeline, maxChars: 300)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE drop_reason = 'empty'") > 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE drop_reason = 'empty' AND length >= 20") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE drop_reason = 'language'") > 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE drop_reason = 'language' AND language = 'en'") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept' AND (language != 'en' OR length < 20)") == 0)
        // Every flood event keeps its first document (unless another rule dropped it) and drops the rest.
        #expect(try pipeline.int("SELECT count(*) FROM flood_events") > 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM documents d JOIN flood_events f ON f.id = d.flood_event
            WHERE d.id = f.first_document_id AND d.drop_reason = 'flood'
            """) == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM documents d JOIN flood_events f ON f.id = d.flood_event
            WHERE d.id != f.first_document_id AND d.status = 'kept'
            """) == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE truncated = 1") > 0)
    }

    @Test func aCancelledRebuildLeavesThePreviousOutputsWhole() async throws {
        let pipeline = try CleanPipeline()
        defer { pipeline.remove() }
        try await pipeline.run()
        let before = try pipeline.outputDigest()
        for delay in [0, 20, 60, 150] {
            let task = Task { try await pipeline.run(["clean.near_threshold=0.5"], plan: .rebuild(stage: "clean", downstream: false)) }
            try await Task.sleep(for: .milliseconds(delay))
            task.cancel()
            _ = try? await task.value
            let after = try pipeline.outputDigest()
            let count = try pipeline.int("SELECT count(*) FROM documents")
            #expect(count == 1_789)
            if after != before {
                // The rebuild finished before the cancellation: then its outputs are whole too.
                try Self.checkInvariants(pipeline, maxChars: 2000)
                break
            }
        }
    }

    @Test func anEmptyCrawlGivesEmptyOutputs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-clean-empty-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("empty.jsonl.gz")
        try Gzip.compress(Data()).write(to: capture)
        let pipeline = try CleanPipeline(capture: capture.path)
        defer { pipeline.remove() }
        let outcomes = try await pipeline.run()
        #expect(outcomes.last?.report?.rowsOut == 0)
        for table in CleanSchema.outputTables { #expect(try pipeline.int("SELECT count(*) FROM \(table)") == 0) }
        #expect(try pipeline.freshness("clean") == .upToDate)
    }

    @Test(.timeLimit(.minutes(10)))
    func goldenSharedCapture() async throws {
        guard let capture = CleanPipeline.sharedCapture else {
            print("golden: ../shared/data capture not present, skipped")
            return
        }
        let pipeline = try CleanPipeline(capture: capture)
        defer { pipeline.remove() }
        let started = Date()
        try await pipeline.run(["crawl.submolts=false"], plan: .pipeline(stages: ["crawl"]))
        let crawled = Date()
        try await pipeline.run(plan: .pipeline(stages: ["clean"]))
        let cleanSeconds = Date().timeIntervalSince(crawled)
        #expect(try pipeline.int("SELECT count(*) FROM documents") == 40_389)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE kind = 'post'") == 4_222)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE kind = 'comment'") == 36_167)
        try Self.checkInvariants(pipeline, maxChars: 2000)

        let exactComments = try #require(try pipeline.double("SELECT avg(exact_group IS NOT NULL) FROM documents WHERE kind = 'comment'"))
        let nearComments = try #require(try pipeline.double("SELECT avg(near_group IS NOT NULL) FROM documents WHERE kind = 'comment'"))
        let bursts = try pipeline.doubles("SELECT burstiness FROM agent_activity WHERE burstiness IS NOT NULL ORDER BY burstiness")
        let mean = bursts.reduce(0, +) / Double(max(bursts.count, 1))
        let median = bursts.isEmpty ? 0 : (bursts[(bursts.count - 1) / 2] + bursts[bursts.count / 2]) / 2
        let languages = try pipeline.strings("""
            SELECT language || '=' || count(*) FROM documents GROUP BY language ORDER BY count(*) DESC LIMIT 8
            """)
        print("""
            golden: \(try pipeline.int("SELECT count(*) FROM documents")) documents (crawl \(String(format: "%.1f", crawled.timeIntervalSince(started)))s, clean \(String(format: "%.1f", cleanSeconds))s in this build)
            golden: exact-duplicate share of comments \(String(format: "%.4f", exactComments)) (methods.md: 0.341 on a larger crawl), near \(String(format: "%.4f", nearComments))
            golden: exact groups \(try pipeline.int("SELECT count(*) FROM duplicate_groups WHERE method = 'exact'")), near groups \(try pipeline.int("SELECT count(*) FROM duplicate_groups WHERE method = 'near'")), largest near group \(try pipeline.int("SELECT max(size) FROM duplicate_groups WHERE method = 'near'"))
            golden: flood events \(try pipeline.int("SELECT count(*) FROM flood_events")) by \(try pipeline.int("SELECT count(DISTINCT author_id) FROM flood_events")) agents, \(try pipeline.int("SELECT coalesce(sum(documents), 0) FROM flood_events")) documents
            golden: burstiness over \(bursts.count) agents with >= 3 posts: mean \(String(format: "%.3f", mean)), median \(String(format: "%.3f", median)) (methods.md: 1.02 / 0.86)
            golden: truncated \(try pipeline.int("SELECT count(*) FROM documents WHERE truncated = 1")), empty \(try pipeline.int("SELECT count(*) FROM documents WHERE length = 0")), languages \(languages.joined(separator: " "))
            """)
        #expect(exactComments > 0.01 && exactComments < 0.8)
        #expect(nearComments >= exactComments)
        #expect(bursts.count >= 20)
        #expect(mean > 0.2 && mean < 10 && median > 0.1 && median < 10)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE truncated = 1") > 0)
        #expect(try pipeline.int("SELECT max(length) FROM documents") <= 2000)
    }

    /// What must hold of any clean output.
    static func checkInvariants(_ pipeline: CleanPipeline, maxChars: Int) throws {
        // Exactly one document per post and per comment.
        #expect(try pipeline.int("SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)")
                == pipeline.int("SELECT count(*) FROM documents"))
        #expect(try pipeline.int("SELECT count(*) FROM posts WHERE id NOT IN (SELECT id FROM documents WHERE kind = 'post')") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM comments WHERE id NOT IN (SELECT id FROM documents WHERE kind = 'comment')") == 0)
        // Lengths are SQLite's character counts; cut texts respect the limit.
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE length != length(text)") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE length > \(maxChars)") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE truncated = 0 AND length > original_length") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE (status = 'dropped') != (drop_reason IS NOT NULL)") == 0)
        // Content hashes are SHA-256 of the text.
        let rows = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: "SELECT text, content_hash FROM documents ORDER BY random() LIMIT 200")
        }
        for row in rows { #expect(Fingerprint.of(data: Data((row[0] as String).utf8)) == row[1] as String) }
        #expect(try pipeline.int("SELECT count(DISTINCT content_hash) FROM documents") == pipeline.int("SELECT count(DISTINCT text) FROM documents"))

        // Groups: sizes equal member counts, members of an exact group share their text, exact
        // groups lie in one near group, the first document is the earliest member.
        for method in ["exact", "near"] {
            let column = "\(method)_group"
            let members = """
                (SELECT \(column) AS id, count(*) AS n, count(DISTINCT author_id) AS authors, min(created_at) AS earliest
                 FROM documents WHERE \(column) IS NOT NULL GROUP BY \(column)) m
                """
            #expect(try pipeline.int("""
                SELECT count(*) FROM duplicate_groups g LEFT JOIN \(members) ON m.id = g.group_id
                WHERE g.method = '\(method)' AND (m.n IS NOT g.size OR m.authors IS NOT g.distinct_authors
                      OR m.earliest < g.first_created_at)
                """) == 0)
            #expect(try pipeline.int("""
                SELECT count(*) FROM \(members) LEFT JOIN duplicate_groups g ON g.method = '\(method)' AND g.group_id = m.id
                WHERE g.group_id IS NULL
                """) == 0)
            #expect(try pipeline.int("SELECT count(*) FROM duplicate_groups WHERE method = '\(method)' AND size < 2") == 0)
            #expect(try pipeline.int("""
                SELECT count(*) FROM duplicate_groups g JOIN documents f ON f.id = g.first_document_id
                WHERE g.method = '\(method)' AND (f.\(column) IS NOT g.group_id OR f.created_at IS NOT g.first_created_at
                      OR substr(f.text, 1, 200) != g.sample_text)
                """) == 0)
        }
        #expect(try pipeline.int("SELECT count(*) FROM (SELECT exact_group FROM documents WHERE exact_group IS NOT NULL GROUP BY exact_group HAVING count(DISTINCT content_hash) > 1)") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM (SELECT content_hash FROM documents WHERE length > 0 GROUP BY content_hash HAVING count(*) > 1 AND count(exact_group) != count(*))") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE exact_group IS NOT NULL AND near_group IS NULL") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM (SELECT exact_group FROM documents WHERE exact_group IS NOT NULL GROUP BY exact_group HAVING count(DISTINCT near_group) > 1)") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM documents WHERE length = 0 AND (exact_group IS NOT NULL OR near_group IS NOT NULL)") == 0)

        // Flood events: counts match, one author and group each, sub-gap chains.
        #expect(try pipeline.int("""
            SELECT count(*) FROM flood_events f LEFT JOIN
              (SELECT flood_event AS id, count(*) AS n, count(DISTINCT author_id) AS authors, count(DISTINCT near_group) AS groups,
                      min(author_id) AS author, min(near_group) AS near, min(created_at) AS first, max(created_at) AS last
               FROM documents WHERE flood_event IS NOT NULL GROUP BY flood_event) m ON m.id = f.id
            WHERE m.n IS NOT f.documents OR f.documents < 2 OR f.span_seconds < f.max_gap_seconds OR m.authors != 1
               OR m.groups != 1 OR m.author != f.author_id OR m.near != f.near_group OR m.first != f.first_at OR m.last != f.last_at
            """) == 0)

        // Agents: counts add up; burstiness only with 3 posts.
        #expect(try pipeline.int("SELECT coalesce(sum(documents), 0) FROM agent_activity")
                == pipeline.int("SELECT count(*) FROM documents WHERE author_id IS NOT NULL"))
        #expect(try pipeline.int("SELECT count(*) FROM agent_activity WHERE documents != posts + comments") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM agent_activity WHERE burstiness IS NOT NULL AND posts < 3") == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM agent_activity a LEFT JOIN
              (SELECT author_id, count(*) AS n, sum(documents) AS docs FROM flood_events GROUP BY author_id) f
              ON f.author_id = a.author_id
            WHERE coalesce(f.n, 0) != a.flood_events OR coalesce(f.docs, 0) != a.flood_documents
            """) == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM agent_activity a JOIN
              (SELECT author_id, avg(near_group IS NOT NULL) AS share, sum(kind = 'post') AS posts FROM documents
               WHERE author_id IS NOT NULL GROUP BY author_id) d ON d.author_id = a.author_id
            WHERE abs(a.duplicate_share - d.share) > 1e-9 OR a.posts != d.posts
            """) == 0)
    }
}
