import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore

/// Writes what the crawl fetched into the normalized tables. Every function runs inside the
/// caller's transaction, so rows, raw responses and checkpoints commit together.
enum CrawlWriter {
    struct Counts {
        var posts = 0
        var comments = 0
        var errors = 0
    }

    static func write(_ db: Database, items: [CrawlItem], errors: ErrorLog) throws -> Counts {
        var counts = Counts()
        for item in items {
            switch item {
            case .post(let crawled):
                try writePost(db, crawled)
                counts.posts += 1
                counts.comments += crawled.comments.count
            case .failure(let failure):
                try errors.record(db, source: failure.source, reason: failure.reason, excerpt: failure.excerpt)
                if let postId = failure.postId {
                    try db.execute(sql: """
                        UPDATE crawl_frontier SET state = 'failed', attempts = attempts + 1, last_error = ?
                        WHERE post_id = ?
                        """, arguments: [failure.reason, postId])
                }
                counts.errors += 1
            }
        }
        return counts
    }

    static func writePost(_ db: Database, _ crawled: CrawledPost) throws {
        try writeRows(db, post: crawled.post, comments: crawled.comments, source: crawled.source, fetchedAt: crawled.fetchedAt)
        for raw in crawled.raws { try insertRaw(db, raw) }
        try db.cachedStatement(sql: """
            INSERT INTO crawl_frontier(post_id, listed_comment_count, listed_at, state) VALUES (?, ?, ?, 'done')
            ON CONFLICT(post_id) DO UPDATE SET state = 'done', last_error = NULL
            """).execute(arguments: [crawled.post.id, crawled.post.commentCount, crawled.fetchedAt])
    }

    /// The post, its comments, their authors and its submolt.
    static func writeRows(_ db: Database, post: APIPost, comments: [APIComment], source: String, fetchedAt seen: String) throws {
        if let submolt = post.submolt { try upsertSubmolt(db, submolt, seenAt: seen) }
        if let author = post.author { try upsertAgent(db, author, seenAt: seen) }
        try db.cachedStatement(sql: """
            INSERT INTO posts(id, title, content, url, upvotes, downvotes, comment_count, created_at, created_at_raw,
                              submolt, author_id, author_name, flags, source, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET title = excluded.title, content = excluded.content, url = excluded.url,
                upvotes = excluded.upvotes, downvotes = excluded.downvotes, comment_count = excluded.comment_count,
                created_at = excluded.created_at, created_at_raw = excluded.created_at_raw, submolt = excluded.submolt,
                author_id = excluded.author_id, author_name = excluded.author_name, flags = excluded.flags,
                source = excluded.source, fetched_at = excluded.fetched_at
            """).execute(arguments: [
                post.id, post.title, post.content, post.url, post.upvotes, post.downvotes, post.commentCount,
                post.createdAt.iso, post.createdAt.isUnreadable ? post.createdAt.raw : nil,
                post.submolt?.name, post.author?.id, post.author?.name, post.flags.names, source, seen,
            ])
        for comment in comments {
            if let author = comment.author { try upsertAgent(db, author, seenAt: seen) }
        }
        try insertComments(db, comments, fetchedAt: seen)
        try db.cachedStatement(sql: """
            UPDATE posts SET comments_fetched = (SELECT count(*) FROM comments WHERE post_id = ?1) WHERE id = ?1
            """).execute(arguments: [post.id])
    }

    static func insertComments(_ db: Database, _ comments: [APIComment], fetchedAt seen: String) throws {
        let insertComment = try db.cachedStatement(sql: """
            INSERT INTO comments(id, post_id, parent_id, depth, content, upvotes, downvotes, created_at, created_at_raw,
                                 author_id, author_name, flags, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET post_id = excluded.post_id, parent_id = excluded.parent_id,
                depth = excluded.depth, content = excluded.content, upvotes = excluded.upvotes,
                downvotes = excluded.downvotes, created_at = excluded.created_at, created_at_raw = excluded.created_at_raw,
                author_id = excluded.author_id, author_name = excluded.author_name, flags = excluded.flags,
                fetched_at = excluded.fetched_at
            """)
        for comment in comments {
            try insertComment.execute(arguments: [
                comment.id, comment.postId, comment.parentId, comment.depth, comment.content, comment.upvotes,
                comment.downvotes, comment.createdAt.iso, comment.createdAt.isUnreadable ? comment.createdAt.raw : nil,
                comment.author?.id, comment.author?.name, comment.flags.names, seen,
            ])
        }
    }

    /// Agents appear in many responses with values that differ by fetch time; the merge keeps
    /// the largest counts and the fullest description, so the result does not depend on order.
    static func upsertAgent(_ db: Database, _ agent: APIAgent, seenAt: String, profileFetched: Bool = false) throws {
        guard let id = agent.id else { return }
        try db.cachedStatement(sql: """
            INSERT INTO agents(id, name, description, karma, follower_count, following_count, is_claimed, created_at,
                               last_active, profile_fetched_at, first_seen_at, last_seen_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
            ON CONFLICT(id) DO UPDATE SET
                name = coalesce(excluded.name, name),
                description = CASE
                    WHEN excluded.description IS NULL THEN description
                    WHEN description IS NULL THEN excluded.description
                    WHEN length(excluded.description) > length(description) THEN excluded.description
                    WHEN length(excluded.description) = length(description) AND excluded.description > description
                        THEN excluded.description
                    ELSE description END,
                karma = max(coalesce(karma, excluded.karma), coalesce(excluded.karma, karma)),
                follower_count = max(coalesce(follower_count, excluded.follower_count), coalesce(excluded.follower_count, follower_count)),
                following_count = max(coalesce(following_count, excluded.following_count), coalesce(excluded.following_count, following_count)),
                is_claimed = coalesce(excluded.is_claimed, is_claimed),
                created_at = coalesce(created_at, excluded.created_at),
                last_active = max(coalesce(last_active, excluded.last_active), coalesce(excluded.last_active, last_active)),
                profile_fetched_at = coalesce(excluded.profile_fetched_at, profile_fetched_at),
                last_seen_at = max(last_seen_at, excluded.last_seen_at)
            """).execute(arguments: [
                id, agent.name, agent.description, agent.karma, agent.followerCount, agent.followingCount,
                agent.isClaimed, agent.createdAt?.iso, agent.lastActive?.iso, profileFetched ? seenAt : nil, seenAt,
            ])
    }

    static func upsertSubmolt(_ db: Database, _ submolt: APISubmolt, seenAt: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO submolts(name, id, display_name, description, subscriber_count, created_at, first_seen_at, last_seen_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            ON CONFLICT(name) DO UPDATE SET
                id = coalesce(excluded.id, id),
                display_name = coalesce(excluded.display_name, display_name),
                description = coalesce(excluded.description, description),
                subscriber_count = max(coalesce(subscriber_count, excluded.subscriber_count), coalesce(excluded.subscriber_count, subscriber_count)),
                created_at = coalesce(created_at, excluded.created_at),
                last_seen_at = max(last_seen_at, excluded.last_seen_at)
            """).execute(arguments: [
                submolt.name, submolt.id, submolt.displayName, submolt.description, submolt.subscriberCount,
                submolt.createdAt?.iso, seenAt,
            ])
    }

    static func insertRaw(_ db: Database, _ stored: StoredRaw) throws {
        try db.cachedStatement(sql: """
            INSERT INTO raw_responses(kind, url, post_id, status, content_type, fetched_at, bytes, body_gzip)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                stored.kind.rawValue, stored.raw.url, stored.postId, stored.raw.status, stored.raw.contentType,
                stored.raw.fetchedAt, stored.raw.body.count, stored.compressed,
            ])
    }
}
