import AsyncAlgorithms
import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore

/// Crawls the live API or a replay server. Three kinds of task share the work:
/// the lister walks the listing pages and commits each page's new or grown posts to the
/// frontier; fetchers take post ids from a bounded channel and fetch details (and comments);
/// one writer commits fetched posts in batches. A killed crawl resumes from the frontier and
/// the listing checkpoint without refetching what it committed.
struct HTTPCrawler {
    let client: MoltbookClient
    let context: StageContext
    let settings: Settings

    struct Settings: Sendable {
        var sort: String
        var pageSize: Int
        var maxPosts: Int
        var relistAll: Bool
        var concurrency: Int
        var submolts: Bool
        var agentProfiles: Bool
    }

    func crawl() async throws -> StageReport {
        var report = StageReport()
        if settings.submolts { report.rowsOut += try await SubmoltLister(client: client, context: context).run() }
        let details = try await crawlPosts()
        report.rowsIn += details.rowsIn
        report.rowsOut += details.rowsOut
        report.errors += details.errors
        if settings.agentProfiles {
            let profiles = try await ProfileFetcher(client: client, context: context, concurrency: settings.concurrency).run()
            report.rowsOut += profiles.rowsOut
            report.errors += profiles.errors
        }
        return report
    }

    private func crawlPosts() async throws -> StageReport {
        let ids = AsyncChannel<String>()
        let results = AsyncChannel<CrawlItem>()
        let progress = context.progress
        progress.begin(total: nil, unit: "posts")

        return try await withThrowingTaskGroup(of: StageReport.self) { group in
            // Lister: first what an earlier run left pending or failed, then the listing, a page
            // at a time. A distributor hands the ids on one by one, so the lister can fetch the
            // next page while fetchers work through the last one (no bubble between pages).
            let pages = AsyncChannel<[String]>()
            group.addTask {
                defer { pages.finish() }
                var listed = StageReport()
                await pages.send(try await pendingFromEarlierRuns())
                listed.rowsIn = try await list { newIds in await pages.send(newIds) }
                return listed
            }
            group.addTask {
                defer { ids.finish() }
                for await page in pages {
                    for id in page { await ids.send(id) }
                }
                return StageReport()
            }
            // Fetchers: each takes the next id when it is free; the channel holds no backlog.
            group.addTask {
                defer { results.finish() }
                try await withThrowingTaskGroup(of: Void.self) { fetchers in
                    for _ in 0..<settings.concurrency {
                        fetchers.addTask {
                            for await id in ids {
                                if Task.isCancelled { break }
                                await results.send(try await fetch(id))
                            }
                        }
                    }
                    try await fetchers.waitForAll()
                }
                return StageReport()
            }
            // Writer: batches of up to run.batch_size posts, or what arrived within half a second.
            group.addTask {
                var written = StageReport()
                // The bounded buffer keeps fetchers and parsers busy while a batch commits; without
                // it they would wait for every commit to finish.
                let batches = results.buffer(policy: .bounded(context.batchSize * 2))
                    .chunks(ofCount: context.batchSize, or: .repeating(every: .milliseconds(500)))
                for await batch in batches {
                    let counts = try await commit(batch)
                    written.rowsOut += counts.posts + counts.comments
                    written.errors += counts.errors
                    progress.advance(by: batch.count)
                }
                return written
            }
            var total = StageReport()
            do {
                for try await part in group {
                    total.rowsIn += part.rowsIn
                    total.rowsOut += part.rowsOut
                    total.errors += part.errors
                }
            } catch {
                group.cancelAll()
                pages.finish()
                ids.finish()
                results.finish()
                throw error
            }
            try Task.checkCancellation()
            progress.finish()
            total.note = "\(total.rowsIn) posts listed, \(total.errors) failed (kept in errors; the next run retries them)"
            return total
        }
    }

    // MARK: Listing

    private func pendingFromEarlierRuns() async throws -> [String] {
        try await context.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT post_id FROM crawl_frontier WHERE state != 'done' ORDER BY listed_at, post_id")
        }
    }

    /// Walks the listing from its checkpoint; hands on the ids each committed page made pending.
    private func list(_ handOn: ([String]) async -> Void) async throws -> Int {
        let checkpoints = context.checkpoints
        var (offset, cursor, listed) = try await context.store.pool.read { db in
            (Int(try checkpoints.get(db, "list.offset") ?? "0") ?? 0,
             try checkpoints.get(db, "list.cursor"),
             Int(try checkpoints.get(db, "list.listed") ?? "0") ?? 0)
        }
        var pages = 0
        while true {
            try Task.checkCancellation()
            let limit = settings.maxPosts > 0 ? min(settings.pageSize, settings.maxPosts - listed) : settings.pageSize
            if limit <= 0 { break }
            let page = try await fetchPage(limit: limit, offset: offset, cursor: cursor)
            let posts = settings.maxPosts > 0 ? Array(page.value.posts.prefix(settings.maxPosts - listed)) : page.value.posts
            listed += posts.count
            pages += 1
            let nextCursor = page.value.nextCursor
            let nextOffset = page.value.nextOffset ?? (offset + page.value.posts.count)
            let reachedEnd = !page.value.hasMore || page.value.posts.isEmpty
                || (settings.maxPosts > 0 && listed >= settings.maxPosts)
            let raw = StoredRaw(kind: .postList, raw: page.raw, postId: nil)
            let newIds = try await commitPage(posts, raw: raw, finished: reachedEnd,
                                              next: (nextOffset, nextCursor, listed))
            await handOn(newIds)
            if reachedEnd || (!settings.relistAll && newIds.isEmpty) { break }
            offset = nextOffset
            cursor = nextCursor
        }
        if !settings.relistAll {
            // until_known stopped early: the next run starts from the newest page again.
            try await context.store.pool.write { db in
                for key in ["list.offset", "list.cursor", "list.listed"] { try checkpoints.remove(db, key) }
            }
        }
        context.logger.debug("listing done", metadata: ["pages": "\(pages)", "posts": "\(listed)"])
        return listed
    }

    private func fetchPage(limit: Int, offset: Int, cursor: String?) async throws -> MoltbookClient.Fetched<PostPage> {
        do {
            return try await client.listPosts(sort: settings.sort, limit: limit, offset: cursor == nil ? offset : nil,
                                              cursor: cursor)
        } catch let error as APIRequestError {
            throw error.userError
        }
    }

    /// One transaction per page: the frontier rows, the raw page and the next listing position.
    private func commitPage(_ posts: [APIPost], raw: StoredRaw, finished: Bool,
                            next: (offset: Int, cursor: String?, listed: Int)) async throws -> [String] {
        let checkpoints = context.checkpoints
        do {
            return try await context.store.commit { db in
                var newIds: [String] = []
                let now = Clock.now()
                for post in posts {
                    let state = try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM crawl_frontier WHERE post_id = ?"),
                                                    arguments: [post.id])
                    // Pending or failed ids were already handed on from the frontier sweep.
                    if state == "pending" || state == "failed" { continue }
                    guard try KnownPosts.needsFetch(db, id: post.id, declaredComments: post.commentCount) else { continue }
                    try db.cachedStatement(sql: """
                        INSERT INTO crawl_frontier(post_id, listed_comment_count, listed_at, state) VALUES (?, ?, ?, 'pending')
                        ON CONFLICT(post_id) DO UPDATE SET listed_comment_count = excluded.listed_comment_count,
                            listed_at = excluded.listed_at, state = 'pending', attempts = 0, last_error = NULL
                        """).execute(arguments: [post.id, post.commentCount, now])
                    newIds.append(post.id)
                }
                try CrawlWriter.insertRaw(db, raw)
                if finished {
                    for key in ["list.offset", "list.cursor", "list.listed"] { try checkpoints.remove(db, key) }
                } else {
                    try checkpoints.set(db, "list.offset", String(next.offset))
                    if let cursor = next.cursor { try checkpoints.set(db, "list.cursor", cursor) }
                    try checkpoints.set(db, "list.listed", String(next.listed))
                }
                return newIds
            }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "writing the crawl frontier to")
        }
    }

    // MARK: Details

    /// Fetches one post's detail, and its comments when the detail does not embed them (era B).
    /// A failure of that post is an item for the errors table; a server that cannot be reached
    /// at all (after every retry) stops the crawl, since every other post would fail the same way.
    private func fetch(_ id: String) async throws -> CrawlItem {
        do {
            let detail = try await client.postDetail(id: id)
            var raws = [StoredRaw(kind: .postDetail, raw: detail.raw, postId: id)]
            var comments = detail.value.comments
            if comments == nil {
                let fetched = try await client.comments(postId: id)
                raws.append(StoredRaw(kind: .comments, raw: fetched.raw, postId: id))
                comments = fetched.value
            }
            return .post(CrawledPost(post: detail.value.post, comments: comments ?? [], raws: raws, source: "api",
                                     fetchedAt: detail.raw.fetchedAt))
        } catch let error as APIRequestError {
            if error.kind == .transport(.connectionRefused) || error.kind == .transport(.resolve) { throw error.userError }
            return .failure(CrawlFailure(postId: id, source: error.url, reason: error.description, excerpt: nil))
        }
    }

    private func commit(_ batch: [CrawlItem]) async throws -> CrawlWriter.Counts {
        let errors = context.errors
        do {
            return try await context.store.commit { db in try CrawlWriter.write(db, items: batch, errors: errors) }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "writing crawl results to")
        }
    }
}
