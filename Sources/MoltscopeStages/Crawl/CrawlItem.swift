import Foundation
import MoltbookAPI
import MoltscopeCore

/// What the crawl's producers hand its writer: a post with everything fetched for it, or a failure.
enum CrawlItem: Sendable {
    case post(CrawledPost)
    case failure(CrawlFailure)
}

struct CrawledPost: Sendable {
    var post: APIPost
    var comments: [APIComment]
    var raws: [StoredRaw]
    var source: String
    var fetchedAt: String
}

struct CrawlFailure: Sendable {
    var postId: String?
    /// URL, or `FILE:LINE` for captures.
    var source: String
    var reason: String
    var excerpt: String?
}

/// A raw response to keep, with what kind of request it answered.
struct StoredRaw: Sendable {
    enum Kind: String, Sendable {
        case postList = "post_list", postDetail = "post_detail", comments, submoltList = "submolt_list"
        case agentProfile = "agent_profile", captureLine = "capture_line"
    }

    var kind: Kind
    var raw: RawResponse
    var postId: String?
    /// Compressed by the producer, so the writer's transaction holds the lock only to insert.
    var compressed: Data

    init(kind: Kind, raw: RawResponse, postId: String?) {
        self.kind = kind
        self.raw = raw
        self.postId = postId
        // Level 1: within 10% of level 6's size on API JSON, at about half the CPU time.
        self.compressed = Gzip.compress(raw.body, level: 1)
    }
}
