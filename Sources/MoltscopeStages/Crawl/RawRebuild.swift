import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore

/// `moltscope stage crawl`: re-derives posts, comments, agents and submolts from the raw
/// responses kept in the database, without the network, in one transaction: the old tables
/// stay as they were until the new ones are complete. Useful after a parser fix.
struct RawRebuild {
    let context: StageContext

    func run() async throws -> StageReport {
        let errors = context.errors
        let total = try await context.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_responses") ?? 0 }
        context.progress.begin(total: total, unit: "raw responses")
        let progress = context.progress
        do {
            return try await context.store.pool.write { db in
                for table in ["comments", "posts", "agents", "submolts"] { try db.execute(sql: "DELETE FROM \(table)") }
                var report = StageReport()
                // Details first, comments after them: era B keeps a post's comments in a second response.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, kind, url, post_id, status, fetched_at, body_gzip FROM raw_responses
                    WHERE kind IN ('capture_line','post_detail','comments','submolt_list','agent_profile')
                    ORDER BY CASE kind WHEN 'comments' THEN 1 ELSE 0 END, id
                    """)
                while let row = try rows.next() {
                    report.rowsIn += 1
                    progress.advance()
                    let kind: String = row["kind"]
                    let url: String = row["url"]
                    let fetchedAt: String = row["fetched_at"]
                    do {
                        let body = try Gzip.decompress(row["body_gzip"])
                        report.rowsOut += try Self.apply(db, kind: kind, body: body, postId: row["post_id"], fetchedAt: fetchedAt)
                    } catch {
                        try errors.record(db, source: url, reason: "stored raw response \(row["id"] as Int64) no longer parses: \(error)")
                        report.errors += 1
                    }
                }
                try db.execute(sql: "UPDATE posts SET comments_fetched = (SELECT count(*) FROM comments WHERE post_id = posts.id)")
                progress.finish()
                report.note = "rebuilt from \(report.rowsIn) stored responses"
                return report
            }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "rebuilding crawl tables in")
        }
    }

    private static func apply(_ db: Database, kind: String, body: Data, postId: String?, fetchedAt: String) throws -> Int {
        switch kind {
        case "capture_line":
            guard let detail = try MoltbookParser.captureLine(body).detail else { return 0 }
            return try write(db, detail.post, comments: detail.comments ?? [], source: "capture", fetchedAt: fetchedAt)
        case "post_detail":
            let detail = try MoltbookParser.postDetail(body)
            return try write(db, detail.post, comments: detail.comments ?? [], source: "api", fetchedAt: fetchedAt)
        case "comments":
            guard let postId else { return 0 }
            let comments = try MoltbookParser.comments(body, postId: postId)
            for comment in comments {
                if let author = comment.author { try CrawlWriter.upsertAgent(db, author, seenAt: fetchedAt) }
            }
            try CrawlWriter.insertComments(db, comments, fetchedAt: fetchedAt)
            return comments.count
        case "submolt_list":
            let page = try MoltbookParser.submoltPage(body)
            for submolt in page.submolts { try CrawlWriter.upsertSubmolt(db, submolt, seenAt: fetchedAt) }
            return page.submolts.count
        case "agent_profile":
            try CrawlWriter.upsertAgent(db, try MoltbookParser.agentProfile(body), seenAt: fetchedAt, profileFetched: true)
            return 1
        default:
            return 0
        }
    }

    private static func write(_ db: Database, _ post: APIPost, comments: [APIComment], source: String,
                              fetchedAt: String) throws -> Int {
        try CrawlWriter.writeRows(db, post: post, comments: comments, source: source, fetchedAt: fetchedAt)
        return 1 + comments.count
    }
}
